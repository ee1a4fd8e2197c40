package dev.handshake.crypto;

import java.util.Base64;
import java.util.Optional;

/**
 * Standard Base64 (RFC 4648 §4, padded) with a strict and a lenient decoder.
 *
 * <p>{@link #decodeStrict} accepts only the one canonical text of a byte string: alphabet,
 * padding and unused bits must be exact, so a signature cannot be re-encoded into a second valid
 * form. {@link #decodeLenient} mimics Python's {@code base64.b64decode} without validation, which
 * the AISS reference uses: characters outside the alphabet are discarded first (compatibility
 * switch {@code aiss.verify.lenientBase64}).
 */
public final class Base64Text {
  private Base64Text() {}

  public static String encode(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  public static Optional<byte[]> decodeStrict(String text) {
    if (text.length() % 4 != 0) {
      return Optional.empty();
    }
    try {
      byte[] bytes = Base64.getDecoder().decode(text);
      return encode(bytes).equals(text) ? Optional.of(bytes) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  public static Optional<byte[]> decodeLenient(String text) {
    StringBuilder kept = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '+' || c == '/' || c == '=') {
        kept.append(c);
      }
    }
    // Python's b64decode(validate=False) drops the junk but still requires full padding.
    if (kept.length() % 4 != 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(Base64.getDecoder().decode(kept.toString()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
