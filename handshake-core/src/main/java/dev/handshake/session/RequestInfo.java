package dev.handshake.session;

import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

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

  /** The HTTP method, when the transport is HTTP and says (DPoP proofs are made for it). */
  default Optional<String> httpMethod() {
    return Optional.empty();
  }

  /** The request path without query, when the transport is HTTP and says. */
  default Optional<String> httpPath() {
    return Optional.empty();
  }

  /**
   * A request made of a header lookup (case-insensitive is the caller's job), a raw query and an
   * address: for transports, tests and benchmarks that have no richer request object.
   */
  static RequestInfo of(
      Function<String, @Nullable String> headers, @Nullable String rawQuery, String clientAddress) {
    return new RequestInfo() {
      @Override
      public Optional<String> header(String name) {
        return Optional.ofNullable(headers.apply(name));
      }

      @Override
      public Optional<String> rawQuery() {
        return Optional.ofNullable(rawQuery);
      }

      @Override
      public String clientAddress() {
        return clientAddress;
      }
    };
  }

  /** The first value of a query parameter, percent-decoded. */
  default Optional<String> queryParameter(String name) {
    return rawQuery().flatMap(q -> QueryStrings.first(q, name, true));
  }
}
