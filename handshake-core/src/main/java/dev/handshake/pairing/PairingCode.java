package dev.handshake.pairing;

import java.security.SecureRandom;
import java.util.Optional;

/**
 * A human pairing code: 8 symbols of a {@link CodeAlphabet}, shown as {@code XXXX-XXXX}
 * (pairing.md §3.2 rule 2). It is a secret: {@link #toString()} is redacted, {@link #reveal()} and
 * {@link #display()} are the deliberate ways to read it, used only to hand it to the requester.
 *
 * <pre>{@code
 * PairingCode code = PairingCode.generate(random, CodeAlphabet.REFERENCE);
 * Optional<PairingCode> typed = PairingCode.parse(" abcd-efgh ", CodeAlphabet.REFERENCE);
 * }</pre>
 */
public final class PairingCode {
  /** Symbols in a code. */
  public static final int LENGTH = 8;

  private final String value;

  private PairingCode(String value) {
    this.value = value;
  }

  /** A fresh code, each symbol drawn uniformly from {@code alphabet}. */
  public static PairingCode generate(SecureRandom random, CodeAlphabet alphabet) {
    String symbols = alphabet.symbols();
    char[] out = new char[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      out[i] = symbols.charAt(random.nextInt(symbols.length()));
    }
    return new PairingCode(new String(out));
  }

  /**
   * The code a person typed: surrounding space trimmed, spaces and dashes removed, upper-cased
   * ({@code abcd-efgh}, {@code " ABCD EFGH "} and {@code ABCDEFGH} are one code); empty when what
   * is left is not 8 symbols of {@code alphabet}.
   */
  public static Optional<PairingCode> parse(String typed, CodeAlphabet alphabet) {
    if (typed.length() > 64) {
      return Optional.empty();
    }
    StringBuilder sb = new StringBuilder(LENGTH);
    for (int i = 0; i < typed.length(); i++) {
      char c = typed.charAt(i);
      if (c == ' ' || c == '-' || c == '\t') {
        continue;
      }
      char upper = Character.toUpperCase(c);
      if (!alphabet.contains(upper) || sb.length() == LENGTH) {
        return Optional.empty();
      }
      sb.append(upper);
    }
    return sb.length() == LENGTH ? Optional.of(new PairingCode(sb.toString())) : Optional.empty();
  }

  /** The 8 symbols, no dash: what is hashed, and what the reference CLIs take. */
  public String reveal() {
    return value;
  }

  /** {@code XXXX-XXXX}, the form shown to people. */
  public String display() {
    return value.substring(0, 4) + "-" + value.substring(4);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PairingCode other
        && java.security.MessageDigest.isEqual(
            value.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            other.value.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  @Override
  public int hashCode() {
    return 0;
  }

  @Override
  public String toString() {
    return "PairingCode[****-****]";
  }
}
