package dev.handshake.crypto;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * A freshly generated bearer secret (a session token, a browser-binding secret). Its {@code
 * toString()} is redacted so that it cannot reach a log by accident; {@link #reveal()} is the one
 * deliberate way to read it, used only to hand it to its owner.
 */
public final class BearerSecret {
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
  private final String value;

  private BearerSecret(String value) {
    this.value = value;
  }

  /**
   * {@code bytes} random bytes as unpadded base64url, re-drawn until the first character is
   * alphanumeric so that the secret never looks like a command-line option (hpp.md §3 item 13).
   */
  public static BearerSecret generate(SecureRandom random, int bytes) {
    byte[] raw = new byte[bytes];
    while (true) {
      random.nextBytes(raw);
      String text = URL.encodeToString(raw);
      char first = text.charAt(0);
      if (first != '-' && first != '_') {
        return new BearerSecret(text);
      }
    }
  }

  public String reveal() {
    return value;
  }

  public SecretDigest digest() {
    return SecretDigest.of(value);
  }

  @Override
  public String toString() {
    return "BearerSecret[redacted]";
  }
}
