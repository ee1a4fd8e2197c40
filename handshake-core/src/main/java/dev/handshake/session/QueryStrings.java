package dev.handshake.session;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Query-string helpers shared by the HTTP and WebSocket paths. */
public final class QueryStrings {
  private QueryStrings() {}

  /**
   * The first {@code &}-separated part of {@code rawQuery} that starts with {@code name=}, its
   * value percent-decoded or raw. A malformed escape makes the value absent.
   */
  public static Optional<String> first(String rawQuery, String name, boolean decode) {
    String prefix = name + "=";
    for (String part : rawQuery.split("&", -1)) {
      if (part.startsWith(prefix)) {
        String v = part.substring(prefix.length());
        if (!decode) {
          return Optional.of(v);
        }
        try {
          return Optional.of(URLDecoder.decode(v, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /** Replaces the value of every {@code token=} parameter with {@code [redacted]}, for logs. */
  public static String redactTokens(String pathAndQuery) {
    return pathAndQuery.replaceAll("((?:^|[?&;])(?:token|key)=)[^&#]*", "$1[redacted]");
  }
}
