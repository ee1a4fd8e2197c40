package dev.handshake.servlet;

import dev.handshake.conformance.HppServer;
import dev.handshake.conformance.HppTarget;
import dev.handshake.json.Json;
import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionEngine;
import dev.handshake.session.SessionHooks;
import jakarta.servlet.ServletContainerInitializer;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Servers started by one test, all stopped by {@link #close()}. */
final class Servers implements AutoCloseable {
  private final List<Runnable> open = new ArrayList<>();

  /** The adapter in Tomcat, installed as {@link TomcatTarget} does. */
  HppServer start(SessionConfig config) throws Exception {
    HppTarget.RunningServer running =
        new TomcatTarget().start(config, SessionHooks.none(), Clock.systemUTC());
    HppServer s = new HppServer(running, config);
    open.add(s::close);
    return s;
  }

  /** The adapter in a Tomcat built to order (initializer order, request threads). */
  HppServer start(SessionConfig config, boolean webSocketFirst, int maxThreads) throws Exception {
    SessionEngine engine = SessionEngine.builder().config(config).build().start();
    open.add(engine::close);
    ServletContainerInitializer install =
        (classes, ctx) -> HandshakeServletInstaller.install(ctx, engine);
    EmbeddedTomcat tomcat = EmbeddedTomcat.start(List.of(install), webSocketFirst, maxThreads);
    open.add(tomcat::close);
    HppServer s =
        new HppServer(
            new HppTarget.RunningServer() {
              @Override
              public URI baseUri() {
                return tomcat.baseUri();
              }

              @Override
              public void close() {}
            },
            config);
    open.add(s::close);
    return s;
  }

  static JsonNode json(String text) {
    return Json.mapper().readTree(text);
  }

  @Override
  public void close() {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).run();
    }
  }
}
