package dev.handshake.conformance;

import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * A session as the creating browser holds it: the create response, its token and the
 * browser-binding cookie ({@code hs_bind}) the server set, if any.
 *
 * @param sid the session id
 * @param token the session token
 * @param bindingCookie the value of the {@code hs_bind} cookie (absent in the reference profile)
 * @param setCookie the full {@code Set-Cookie} header that carried it, for attribute checks
 * @param created the create response body
 */
public record BrowserSession(
    String sid,
    String token,
    Optional<String> bindingCookie,
    Optional<String> setCookie,
    ObjectNode created) {

  /** The {@code Cookie:} header a browser sends back on notify, if there is a cookie. */
  public Optional<String> cookieHeader() {
    return bindingCookie.map(v -> "hs_bind=" + v);
  }

  @Override
  public String toString() {
    return "BrowserSession[" + sid + "]";
  }
}
