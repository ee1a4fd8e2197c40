package dev.handshake.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers for the hashes the protocols publish (event hashes, ids, Merkle nodes). */
public final class Sha256 {
  private Sha256() {}

  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  public static byte[] digest(byte[] input) {
    return newDigest().digest(input);
  }

  /** Lowercase hex of SHA-256({@code input}). */
  public static String hex(byte[] input) {
    return HexFormat.of().formatHex(digest(input));
  }

  /** Lowercase hex of SHA-256 of the UTF-8 bytes of {@code text}. */
  public static String hex(String text) {
    return hex(text.getBytes(StandardCharsets.UTF_8));
  }
}
