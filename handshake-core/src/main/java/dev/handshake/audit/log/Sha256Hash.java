package dev.handshake.audit.log;

import dev.handshake.crypto.Base64Text;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * An immutable 32-byte SHA-256 value: a Merkle leaf, node or root hash (RFC 9162 §2.1). Hashes
 * travel in checkpoints and proofs as standard Base64, in logs and tests as lowercase hex.
 */
public final class Sha256Hash {
  public static final int SIZE = 32;

  private final byte[] bytes;

  private Sha256Hash(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The hash with these 32 bytes (copied). */
  public static Sha256Hash of(byte[] bytes) {
    if (bytes.length != SIZE) {
      throw new IllegalArgumentException("a SHA-256 hash has 32 bytes, got " + bytes.length);
    }
    return new Sha256Hash(bytes.clone());
  }

  /** Wraps {@code bytes} without copying; the caller hands over ownership. */
  static Sha256Hash wrap(byte[] bytes) {
    assert bytes.length == SIZE;
    return new Sha256Hash(bytes);
  }

  /** The hash whose canonical standard Base64 text is {@code text}, or empty. */
  public static Optional<Sha256Hash> parseBase64(String text) {
    return Base64Text.decodeStrict(text).filter(b -> b.length == SIZE).map(Sha256Hash::new);
  }

  /** The hash written as 64 hex digits (either case), or empty. */
  public static Optional<Sha256Hash> parseHex(String text) {
    if (text.length() != 2 * SIZE) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Sha256Hash(HexFormat.of().parseHex(text)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** A copy of the 32 bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The bytes themselves, for hashing inside this package; never modify or leak them. */
  byte[] raw() {
    return bytes;
  }

  public String base64() {
    return Base64Text.encode(bytes);
  }

  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sha256Hash other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
