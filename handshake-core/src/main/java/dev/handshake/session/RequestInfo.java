package dev.handshake.session;

import java.util.Optional;

/**
 * What the engine may read of the transport request that carries a call: headers, query and the
 * client address. Adapters (Netty, Servlet, tests) implement it; hooks receive it.
 */
public interface RequestInfo {
  /** The first value of a header, matched case-insensitively. */
  Optional<String> header(String name);

  /** The raw (still percent-encoded) query string without {@code ?}, if any. */
  Optional<String> rawQuery();

  /** The client's address as the transport sees it (used for per-address limits). */
  String clientAddress();

  /** The first value of a query parameter, percent-decoded. */
  default Optional<String> queryParameter(String name) {
    return rawQuery().flatMap(q -> QueryStrings.first(q, name, true));
  }
}
