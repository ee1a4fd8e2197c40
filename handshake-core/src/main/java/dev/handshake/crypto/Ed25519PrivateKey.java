package dev.handshake.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 signing key (RFC 8032 32-byte seed) with its public key. Signing is deterministic,
 * so the same seed and message always give the same 64 bytes. {@link #toString()} never shows
 * the seed; {@link #exportSeed()} is the one deliberate way out (key files, tests).
 */
public final class Ed25519PrivateKey {
  public static final int SEED_SIZE = Ed25519.SECRET_KEY_SIZE;

  private final byte[] seed;
  private final byte[] publicRaw;
  private final Ed25519PublicKey publicKey;

  private Ed25519PrivateKey(byte[] seed) {
    this.seed = seed;
    this.publicRaw = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(seed, 0, publicRaw, 0);
    this.publicKey = Ed25519PublicKey.of(publicRaw);
  }

  public static Ed25519PrivateKey generate(SecureRandom random) {
    byte[] seed = new byte[SEED_SIZE];
    Ed25519.generatePrivateKey(random, seed);
    return new Ed25519PrivateKey(seed);
  }

  public static Ed25519PrivateKey fromSeed(byte[] seed) {
    if (seed.length != SEED_SIZE) {
      throw new IllegalArgumentException("an Ed25519 seed has 32 bytes, got " + seed.length);
    }
    return new Ed25519PrivateKey(seed.clone());
  }

  public Ed25519PublicKey publicKey() {
    return publicKey;
  }

  /** The 64-byte pure Ed25519 signature of {@code message}. */
  public byte[] sign(byte[] message) {
    byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
    Ed25519.sign(seed, 0, publicRaw, 0, message, 0, message.length, signature, 0);
    return signature;
  }

  /** The secret seed. Callers own keeping it secret (never log it; files owner-only). */
  public byte[] exportSeed() {
    return seed.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ed25519PrivateKey other && MessageDigest.isEqual(seed, other.seed);
  }

  @Override
  public int hashCode() {
    return publicKey.hashCode();
  }

  @Override
  public String toString() {
    return "Ed25519PrivateKey[public=" + publicKey.hex() + ", seed=<redacted>]";
  }
}
