package dev.handshake.servlet;

import dev.handshake.conformance.HppTarget;
import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionEngine;
import dev.handshake.session.SessionHooks;
import jakarta.servlet.ServletContainerInitializer;
import java.net.URI;
import java.time.Clock;
import java.util.List;

/**
 * Runs the conformance suite (hpp.md §4) against the servlet adapter in an embedded Tomcat 11,
 * installed the way an application would: {@link HandshakeServletInstaller#install}.
 */
public final class TomcatTarget implements HppTarget {
  @Override
  public RunningServer start(SessionConfig config, SessionHooks hooks, Clock clock)
      throws Exception {
    SessionEngine engine =
        SessionEngine.builder().config(config).hooks(hooks).clock(clock).build().start();
    ServletContainerInitializer install =
        (classes, ctx) -> HandshakeServletInstaller.install(ctx, engine);
    EmbeddedTomcat tomcat;
    try {
      tomcat = EmbeddedTomcat.start(List.of(install), true, 20);
    } catch (Exception e) {
      engine.close();
      throw e;
    }
    return new RunningServer() {
      @Override
      public URI baseUri() {
        return tomcat.baseUri();
      }

      @Override
      public void close() {
        try {
          tomcat.close();
        } finally {
          engine.close();
        }
      }
    };
  }
}
