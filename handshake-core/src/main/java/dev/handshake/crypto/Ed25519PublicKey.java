package dev.handshake.crypto;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A raw 32-byte Ed25519 public key (RFC 8032) that verifies signatures with BouncyCastle's
 * lightweight implementation: cofactorless, and strict about the scalar ({@code S < L}), so a
 * signature with {@code S + L} is rejected exactly as Go's {@code crypto/ed25519} does.
 *
 * <p>The decoded curve point is kept, so verifying several messages with one key skips the point
 * decompression each time (a relay connection usually signs with one key).
 */
public final class Ed25519PublicKey {
  public static final int SIZE = Ed25519.PUBLIC_KEY_SIZE;
  public static final int SIGNATURE_SIZE = Ed25519.SIGNATURE_SIZE;

  private final byte[] raw;
  private final Ed25519.PublicPoint point;

  private Ed25519PublicKey(byte[] raw, Ed25519.PublicPoint point) {
    this.raw = raw;
    this.point = point;
  }

  /** The key with these raw bytes, or empty when they are not 32 bytes or not a curve point. */
  public static Optional<Ed25519PublicKey> parse(byte[] raw) {
    if (raw.length != SIZE) {
      return Optional.empty();
    }
    byte[] copy = raw.clone();
    Ed25519.PublicPoint point = Ed25519.validatePublicKeyPartialExport(copy, 0);
    return point == null ? Optional.empty() : Optional.of(new Ed25519PublicKey(copy, point));
  }

  /** Like {@link #parse} for keys that must be valid. */
  public static Ed25519PublicKey of(byte[] raw) {
    return parse(raw)
        .orElseThrow(() -> new IllegalArgumentException("not a 32-byte Ed25519 public key"));
  }

  /** Whether {@code signature} is a valid pure-Ed25519 signature of {@code message}. */
  public boolean verify(byte[] message, byte[] signature) {
    return signature.length == SIGNATURE_SIZE
        && Ed25519.verify(signature, 0, point, message, 0, message.length);
  }

  /**
   * One-shot verification with loose bytes: false for a key or signature of the wrong length, a
   * key that is not a point, or a bad signature. Never throws.
   */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    return publicKey.length == SIZE
        && signature.length == SIGNATURE_SIZE
        && Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
  }

  /** Whether this key's raw bytes equal {@code other} (not secret, so a plain comparison). */
  public boolean matches(byte[] other) {
    return Arrays.equals(raw, other);
  }

  public byte[] raw() {
    return raw.clone();
  }

  public String hex() {
    return HexFormat.of().formatHex(raw);
  }

  public String base64() {
    return Base64.getEncoder().encodeToString(raw);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ed25519PublicKey other && Arrays.equals(raw, other.raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return "Ed25519PublicKey[" + hex() + "]";
  }
}
