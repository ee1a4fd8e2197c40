package dev.handshake.session;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether a browser request comes from an allowed origin (hpp.md §3 item 2): an explicit
 * allowlist, or else the server's own origin as named by the {@code Host} header.
 */
final class OriginPolicy {
  private OriginPolicy() {}

  /** The request's origin: the {@code Origin} header, else the origin part of {@code Referer}. */
  static Optional<String> requestOrigin(RequestInfo request) {
    Optional<String> origin = request.header("Origin").filter(o -> !o.isBlank());
    if (origin.isPresent()) {
      return origin.map(String::trim);
    }
    return request.header("Referer").filter(r -> !r.isBlank()).map(OriginPolicy::originOf);
  }

  static boolean allowed(String origin, List<String> allowlist, RequestInfo request) {
    String o = normalise(origin);
    if (!allowlist.isEmpty()) {
      return allowlist.stream().anyMatch(a -> normalise(a).equals(o));
    }
    Optional<String> host = request.header("Host");
    if (host.isEmpty() || o.equals("null")) {
      return false;
    }
    try {
      URI u = URI.create(o);
      if (u.getHost() == null || u.getScheme() == null) {
        return false;
      }
      int port = u.getPort() != -1 ? u.getPort() : defaultPort(u.getScheme());
      String hostHeader = host.get().trim().toLowerCase(Locale.ROOT);
      String expected = u.getHost().toLowerCase(Locale.ROOT);
      return hostHeader.equals(expected + ":" + port)
          || (port == defaultPort(u.getScheme()) && hostHeader.equals(expected));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static int defaultPort(String scheme) {
    return scheme.equalsIgnoreCase("https") ? 443 : 80;
  }

  private static String normalise(String origin) {
    String o = origin.trim().toLowerCase(Locale.ROOT);
    return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
  }

  private static String originOf(String referer) {
    try {
      URI u = URI.create(referer.trim());
      if (u.getScheme() == null || u.getHost() == null) {
        return "null";
      }
      return u.getScheme() + "://" + u.getHost() + (u.getPort() == -1 ? "" : ":" + u.getPort());
    } catch (IllegalArgumentException e) {
      return "null";
    }
  }
}
