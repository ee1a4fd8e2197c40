package dev.handshake.pairing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * What nodes sharing pairing state compare to learn that they hash codes and tokens with the same
 * {@link Pepper} (issue 7, docs/STORES.md "Same pepper"): HMAC-SHA256 under the pepper of the
 * fixed label {@value #LABEL}, as 64 lower-case hex characters.
 *
 * <p>It reveals nothing of the pepper (HMAC-SHA256 is a pseudo-random function of its key), so it
 * may sit in a shared store that other parties read. It is not a key either: {@link
 * Pepper#derive} MACs labels that start with {@code "handshake-pepper:"} and this label does not,
 * so a stored fingerprint is never one of the derived peppers. Compare two with {@link #matches},
 * which takes the same time wherever they differ.
 *
 * @param hex 64 lower-case hex characters
 */
public record PepperFingerprint(String hex) {
  /** The label MACed under the pepper; a new version of the check gets a new label. */
  public static final String LABEL = "handshake pepper check v1";

  /** Hex characters of a fingerprint (32 bytes). */
  public static final int HEX_LENGTH = 64;

  /**
   * @throws IllegalArgumentException unless {@code hex} is 64 lower-case hex characters
   */
  public PepperFingerprint {
    if (hex.length() != HEX_LENGTH
        || !hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      throw new IllegalArgumentException(
          "a pepper fingerprint is " + HEX_LENGTH + " lower-case hex characters");
    }
  }

  /** The fingerprint of {@code pepper}. */
  public static PepperFingerprint of(Pepper pepper) {
    return new PepperFingerprint(
        HexFormat.of().formatHex(pepper.mac(LABEL.getBytes(StandardCharsets.UTF_8))));
  }

  /** Whether {@code other} is this fingerprint, compared in constant time. */
  public boolean matches(PepperFingerprint other) {
    return MessageDigest.isEqual(
        hex.getBytes(StandardCharsets.US_ASCII), other.hex.getBytes(StandardCharsets.US_ASCII));
  }

  /** Only a prefix: enough to tell two apart in a debugger, nothing to paste around. */
  @Override
  public String toString() {
    return "PepperFingerprint[" + hex.substring(0, 8) + "…]";
  }
}
