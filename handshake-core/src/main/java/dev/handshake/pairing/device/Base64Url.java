package dev.handshake.pairing.device;

import java.util.Base64;
import java.util.Optional;

/**
 * Base64url as devices send it: unpadded, though padding and the standard alphabet ({@code +},
 * {@code /}) are tolerated because OpenClaw's decoder tolerates them. Never throws.
 */
final class Base64Url {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private Base64Url() {}

  static String encode(byte[] bytes) {
    return ENCODER.encodeToString(bytes);
  }

  /** The bytes {@code text} encodes, or empty for anything else (bad characters, bad length). */
  static Optional<byte[]> decode(String text, int maxChars) {
    if (text.isEmpty() || text.length() > maxChars) {
      return Optional.empty();
    }
    String body = text.replace('+', '-').replace('/', '_');
    int end = body.length();
    while (end > 0 && body.charAt(end - 1) == '=') {
      end--;
    }
    if (body.length() - end > 2) {
      return Optional.empty();
    }
    body = body.substring(0, end);
    try {
      return Optional.of(Base64.getUrlDecoder().decode(body));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
