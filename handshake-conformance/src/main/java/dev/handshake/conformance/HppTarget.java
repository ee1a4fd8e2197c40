package dev.handshake.conformance;

import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionHooks;
import java.net.URI;
import java.time.Clock;

/**
 * The fixture every server adapter implements to run the conformance suite (hpp.md §4): it starts
 * a real server on {@code 127.0.0.1} serving a {@link dev.handshake.session.SessionEngine} built
 * from the given parts.
 *
 * <p>The adapter must build the engine with exactly this config, hooks and clock, start its
 * expiry sweeper ({@code engine.start()}), serve the HTTP API at {@code config.prefix()} and the
 * WebSocket at {@code config.wsPrefix()}, and derive the prompt's base URL from the {@code Host}
 * header (no configured public base URL). It must call {@code WsConnection.onIdle()} after
 * {@code config.heartbeatInterval()} without inbound messages.
 */
public interface HppTarget {
  /**
   * Starts a server on 127.0.0.1 (random port) serving an engine built from these parts; returns
   * its base URI like {@code http://127.0.0.1:PORT}.
   */
  RunningServer start(SessionConfig config, SessionHooks hooks, Clock clock) throws Exception;

  /** A started server; closing it stops the server and its engine. */
  interface RunningServer extends AutoCloseable {
    URI baseUri();

    @Override
    void close();
  }
}
