package dev.handshake.server.http;

import dev.handshake.session.HppResponse;
import dev.handshake.session.http.HttpApiRequest;

/**
 * A transport-free API the HTTP adapter routes to by path and runs off the event loop (its calls
 * may block on SQLite): the pairing admin API, the device flow, the device endpoints.
 */
public interface ExtraRoutes {
  boolean handles(String path);

  /** Answers one request; must not throw for bad input. */
  HppResponse handle(HttpApiRequest request);
}
