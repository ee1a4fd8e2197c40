package dev.handshake.session;

import java.util.function.Predicate;

/** Reads cookies from a {@code Cookie} header. */
final class Cookies {
  private Cookies() {}

  /** Whether any cookie named {@code name} has a value accepted by {@code matches}. */
  static boolean any(RequestInfo request, String name, Predicate<String> matches) {
    String header = request.header("Cookie").orElse("");
    boolean found = false;
    for (String part : header.split(";")) {
      String p = part.trim();
      int eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq).trim().equals(name)) {
        String v = p.substring(eq + 1).trim();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
          v = v.substring(1, v.length() - 1);
        }
        // evaluate every candidate so timing does not reveal which one matched
        found |= matches.test(v);
      }
    }
    return found;
  }
}
