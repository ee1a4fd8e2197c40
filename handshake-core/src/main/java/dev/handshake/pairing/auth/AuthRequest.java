package dev.handshake.pairing.auth;

import java.util.Optional;
import java.util.function.Function;

/**
 * What an {@link AuthProtocol} may look at: headers, the raw query (only to refuse tokens in it)
 * and the peer's address.
 */
public record AuthRequest(
    Function<String, Optional<String>> headers, Optional<String> rawQuery, String peerAddress) {

  public Optional<String> header(String name) {
    return headers.apply(name);
  }
}
