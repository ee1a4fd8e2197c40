package dev.handshake.pairing.flow;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * OAuth scope strings (RFC 6749 §3.3): space-separated tokens of {@code %x21 / %x23-5B /
 * %x5D-7E}.
 */
public final class Scopes {
  /** Longest scope string accepted: it is shown to the owner as a display field of the request. */
  static final int MAX_CHARS = 256;

  private Scopes() {}

  /** The scopes in {@code text}, or empty when it is too long or not a scope string. */
  static Optional<Set<String>> parse(String text) {
    if (text.length() > MAX_CHARS) {
      return Optional.empty();
    }
    Set<String> out = new TreeSet<>();
    for (String token : text.split(" ", -1)) {
      if (token.isEmpty()) {
        continue;
      }
      if (!validToken(token)) {
        return Optional.empty();
      }
      out.add(token);
    }
    return Optional.of(Set.copyOf(out));
  }

  static boolean validToken(String token) {
    if (token.isEmpty() || token.length() > MAX_CHARS) {
      return false;
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x21 || c > 0x7E || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  /** Sorted, space-separated: the {@code scope} of a token response. */
  public static String join(Set<String> scopes) {
    return String.join(" ", new TreeSet<>(scopes));
  }
}
