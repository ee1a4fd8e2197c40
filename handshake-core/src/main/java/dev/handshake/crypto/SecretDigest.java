package dev.handshake.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The SHA-256 digest of a bearer secret, which is all we keep at rest. Presented secrets are
 * hashed and compared with {@link MessageDigest#isEqual}, which is constant-time.
 */
public final class SecretDigest {
  private final byte[] digest;

  private SecretDigest(byte[] digest) {
    this.digest = digest;
  }

  public static SecretDigest of(String secret) {
    return new SecretDigest(sha256(secret.getBytes(StandardCharsets.UTF_8)));
  }

  /** Restores a digest previously obtained from {@link #toBytes()} (for stores). */
  public static SecretDigest fromBytes(byte[] digest) {
    if (digest.length != 32) {
      throw new IllegalArgumentException("a SHA-256 digest has 32 bytes");
    }
    return new SecretDigest(digest.clone());
  }

  /** Whether {@code presented} is the secret this digest was made from, in constant time. */
  public boolean matches(String presented) {
    return MessageDigest.isEqual(digest, sha256(presented.getBytes(StandardCharsets.UTF_8)));
  }

  public byte[] toBytes() {
    return digest.clone();
  }

  static byte[] sha256(byte[] input) {
    return Sha256.digest(input);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretDigest other && MessageDigest.isEqual(digest, other.digest);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(digest);
  }

  @Override
  public String toString() {
    return "SecretDigest[redacted]";
  }
}
