package dev.handshake.pairing.auth;

import java.util.Optional;
import java.util.function.Function;

/**
 * What an {@link AuthProtocol} may look at: headers, the raw query (only to refuse tokens in it),
 * the peer's address, and the method and path (what a DPoP proof must have been made for).
 *
 * @param method the HTTP method; empty when the transport does not say, and then no DPoP proof
 *     matches (DPoP-bound tokens are refused, bearer tokens still work)
 * @param path the request path without query; empty when unknown, as for {@code method}
 */
public record AuthRequest(
    Function<String, Optional<String>> headers,
    Optional<String> rawQuery,
    String peerAddress,
    String method,
    String path) {

  /** A request whose method and path are unknown (bearer credentials only). */
  public AuthRequest(
      Function<String, Optional<String>> headers, Optional<String> rawQuery, String peerAddress) {
    this(headers, rawQuery, peerAddress, "", "");
  }

  public Optional<String> header(String name) {
    return headers.apply(name);
  }
}
