package dev.handshake.server.conformance;

import dev.handshake.conformance.HppTarget;
import dev.handshake.server.HandshakeServer;
import dev.handshake.server.ServerConfig;
import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionEngine;
import dev.handshake.session.SessionHooks;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;

/** Runs the conformance suite against the Netty server on a random loopback port. */
public final class NettyTarget implements HppTarget {
  @Override
  public RunningServer start(SessionConfig config, SessionHooks hooks, Clock clock)
      throws Exception {
    SessionEngine engine = SessionEngine.builder().config(config).hooks(hooks).clock(clock).build();
    ServerConfig sc = new ServerConfig("127.0.0.1", 0, Optional.empty(), config, 1000, false);
    HandshakeServer server = HandshakeServer.start(sc, engine);
    return new RunningServer() {
      @Override
      public URI baseUri() {
        return server.baseUri();
      }

      @Override
      public void close() {
        server.close();
      }
    };
  }
}
