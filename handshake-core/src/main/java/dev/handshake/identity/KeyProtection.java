package dev.handshake.identity;

import java.security.SecureRandom;
import org.jspecify.annotations.Nullable;

/**
 * How a key file is encrypted: the scrypt cost (N, r, p) and the source of salts and nonces. {@link
 * #defaults()} is N = 2^17, r = 8, p = 1 (aiss.md §3 item 13 asks for N ≥ 2^17); a smaller N, down
 * to {@link #MIN_N}, is for tests only.
 *
 * <p>The same bounds are applied when a file is read, so a file cannot make the reader allocate
 * unbounded memory or loop for hours: N a power of two in [2^14, 2^22], 1 ≤ r ≤ 32, 1 ≤ p ≤ 16,
 * 128·r·N ≤ 1 GiB and N·r·p ≤ 2^25.
 */
public final class KeyProtection {
  public static final int DEFAULT_N = 1 << 17;
  public static final int DEFAULT_R = 8;
  public static final int DEFAULT_P = 1;
  public static final int MIN_N = 1 << 14;
  public static final int MAX_N = 1 << 22;
  static final long MAX_MEMORY = 1L << 30;
  static final long MAX_WORK = 1L << 25;

  private final int scryptN;
  private final int scryptR;
  private final int scryptP;
  private final SecureRandom random;

  private KeyProtection(int scryptN, int scryptR, int scryptP, SecureRandom random) {
    String problem = checkScrypt(scryptN, scryptR, scryptP);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    this.scryptN = scryptN;
    this.scryptR = scryptR;
    this.scryptP = scryptP;
    this.random = random;
  }

  /** N = 2^17, r = 8, p = 1 and a new {@link SecureRandom}. */
  public static KeyProtection defaults() {
    return new KeyProtection(DEFAULT_N, DEFAULT_R, DEFAULT_P, new SecureRandom());
  }

  /** The same protection with another scrypt N (a power of two in [2^14, 2^22]). */
  public KeyProtection withScryptN(int n) {
    return new KeyProtection(n, scryptR, scryptP, random);
  }

  /** The same protection with other scrypt parameters. */
  public KeyProtection withScrypt(int n, int r, int p) {
    return new KeyProtection(n, r, p, random);
  }

  /** The same protection drawing salts and nonces from {@code random}. */
  public KeyProtection withRandom(SecureRandom random) {
    return new KeyProtection(scryptN, scryptR, scryptP, random);
  }

  public int scryptN() {
    return scryptN;
  }

  public int scryptR() {
    return scryptR;
  }

  public int scryptP() {
    return scryptP;
  }

  SecureRandom random() {
    return random;
  }

  /** Why these scrypt parameters are refused, or null when they are acceptable. */
  static @Nullable String checkScrypt(long n, long r, long p) {
    if (n < MIN_N || n > MAX_N || Long.bitCount(n) != 1) {
      return "scrypt N must be a power of two between 2^14 and 2^22, got " + n;
    }
    if (r < 1 || r > 32 || p < 1 || p > 16) {
      return "scrypt r must be in [1, 32] and p in [1, 16], got r=" + r + " p=" + p;
    }
    if (128 * r * n > MAX_MEMORY) {
      return "scrypt N=" + n + " r=" + r + " would need more than 1 GiB";
    }
    if (n * r * p > MAX_WORK) {
      return "scrypt N=" + n + " r=" + r + " p=" + p + " is too much work";
    }
    return null;
  }

  @Override
  public String toString() {
    return "KeyProtection[scrypt N=" + scryptN + " r=" + scryptR + " p=" + scryptP + "]";
  }
}
