package dev.handshake.pairing.auth;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a bearer token from {@code Authorization: Bearer <b64token>} (RFC 6750 §2.1), and only
 * from there.
 */
public final class BearerCredentials {
  private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
  private static final int MAX_TOKEN = 512;

  private BearerCredentials() {}

  /** What the header holds. */
  public sealed interface Read {
    record Token(String value) implements Read {
      @Override
      public String toString() {
        return "Token[redacted]";
      }
    }

    record Absent() implements Read {}

    record Malformed(String description) implements Read {}
  }

  /**
   * The bearer token of a request. A {@code token} or {@code access_token} query parameter is
   * {@link Read.Malformed} (never read), so a token that leaked into a URL does not work.
   */
  public static Read read(AuthRequest request) {
    return read(request, "Bearer");
  }

  /** The lower-cased authentication scheme of the {@code Authorization} header, if any. */
  public static Optional<String> scheme(AuthRequest request) {
    return request.header("Authorization").map(String::strip).filter(h -> h.indexOf(' ') > 0)
        .map(h -> h.substring(0, h.indexOf(' ')).toLowerCase(Locale.ROOT));
  }

  /**
   * The token of {@code Authorization: <scheme> <token>} (the {@code DPoP} scheme of RFC 9449
   * §7.1 has the same token syntax as {@code Bearer}); another scheme reads as absent.
   */
  public static Read read(AuthRequest request, String scheme) {
    if (request.rawQuery().map(BearerCredentials::hasTokenParameter).orElse(false)) {
      return new Read.Malformed("tokens are accepted only in the Authorization header");
    }
    Optional<String> header = request.header("Authorization");
    if (header.isEmpty()) {
      return new Read.Absent();
    }
    String h = header.get().strip();
    int space = h.indexOf(' ');
    if (space < 0) {
      return new Read.Malformed("the Authorization header must be '" + scheme + " <token>'");
    }
    if (!h.substring(0, space).equalsIgnoreCase(scheme)) {
      return new Read.Absent();
    }
    String token = h.substring(space + 1).strip();
    if (token.isEmpty() || token.length() > MAX_TOKEN || !B64TOKEN.matcher(token).matches()) {
      return new Read.Malformed("the " + scheme + " token is not a valid b64token");
    }
    return new Read.Token(token);
  }

  /** Whether the raw query has a {@code token} or {@code access_token} parameter. */
  public static boolean hasTokenParameter(String rawQuery) {
    for (String pair : rawQuery.split("&")) {
      String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
      if (name.equals("token") || name.equals("access_token")) {
        return true;
      }
    }
    return false;
  }
}
