package dev.handshake.identity;

import dev.handshake.crypto.Base58;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Every id form the reference systems derive from an Ed25519 public key, computed in one place so
 * that a claimed id can always be checked against the key it claims to belong to.
 *
 * <ul>
 *   <li>{@link #aiss} — PiQrypt AISS {@code agent_id}: the first 32 characters of
 *       Base58(SHA-256(raw key)) (aiss.md §2.1).
 *   <li>{@link #trustHandoff} — TrustHandoff {@code agent_id}: {@code "agent:"} and the first 16
 *       characters of Base64(SHA-256(UTF-8 of the SPKI PEM text, trailing newline included)).
 *   <li>{@link #keep} — keep-protocol identifies agents by the raw 32-byte key itself; shown as hex.
 * </ul>
 */
public final class AgentIds {
  /** Length of an AISS agent id; other lengths are never accepted (aiss.md §3.7). */
  public static final int AISS_LENGTH = 32;

  private static final byte[] SPKI_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private AgentIds() {}

  public static String aiss(Ed25519PublicKey key) {
    return Base58.encode(Sha256.digest(key.raw())).substring(0, AISS_LENGTH);
  }

  /** Whether {@code claimed} is exactly the AISS agent id of {@code key}. */
  public static boolean isAissIdOf(String claimed, Ed25519PublicKey key) {
    return claimed.length() == AISS_LENGTH && claimed.equals(aiss(key));
  }

  public static String trustHandoff(Ed25519PublicKey key) {
    byte[] digest = Sha256.digest(pem(key).getBytes(StandardCharsets.UTF_8));
    return "agent:" + Base64.getEncoder().encodeToString(digest).substring(0, 16);
  }

  public static String keep(Ed25519PublicKey key) {
    return key.hex();
  }

  /** The key's X.509 SubjectPublicKeyInfo DER encoding (44 bytes). */
  public static byte[] spki(Ed25519PublicKey key) {
    byte[] out = new byte[SPKI_PREFIX.length + Ed25519PublicKey.SIZE];
    System.arraycopy(SPKI_PREFIX, 0, out, 0, SPKI_PREFIX.length);
    System.arraycopy(key.raw(), 0, out, SPKI_PREFIX.length, Ed25519PublicKey.SIZE);
    return out;
  }

  /** The PEM text Python's {@code cryptography} writes for the key, with a trailing newline. */
  public static String pem(Ed25519PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getEncoder().encodeToString(spki(key))
        + "\n-----END PUBLIC KEY-----\n";
  }
}
