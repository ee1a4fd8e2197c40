package dev.handshake.servlet;

import dev.handshake.session.HppResponse;
import dev.handshake.session.SessionEngine;
import dev.handshake.session.WsConnection;
import dev.handshake.session.http.HppHttpApi;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upgrades {@code GET {ws_prefix}/<sid>} to a {@link HandshakeEndpoint} with {@link
 * ServerContainer#upgradeHttpToWebSocket} (Jakarta WebSocket 2.1). Upgrading here rather than
 * through {@code ServerContainer.addEndpoint} gives the handshake the client address, which the
 * WebSocket API does not expose, and lets every refused handshake answer JSON instead of a
 * container error page. Owns the heartbeat timer of its sockets.
 */
final class HandshakeSocketServlet extends HttpServlet {
  private static final Logger LOG = LoggerFactory.getLogger(HandshakeSocketServlet.class);

  private final SessionEngine engine;
  private final HppHttpApi api;
  private final Set<Thread> timerThreads = ConcurrentHashMap.newKeySet();
  private @Nullable ServerContainer container;
  private @Nullable ScheduledThreadPoolExecutor timer;
  private @Nullable SocketConfigurator configurator;

  HandshakeSocketServlet(SessionEngine engine, HppHttpApi api) {
    this.engine = engine;
    this.api = api;
  }

  /** Runs after every initializer, so the container's WebSocket support is in place by now. */
  @Override
  public void init() throws ServletException {
    if (!(getServletContext().getAttribute(ServerContainer.class.getName())
        instanceof ServerContainer sc)) {
      throw new ServletException(
          "no jakarta.websocket.server.ServerContainer in the ServletContext: enable the"
              + " container's WebSocket support (e.g. tomcat-embed-websocket and its WsSci)");
    }
    ThreadFactory platform = Thread.ofPlatform().daemon().name("hpp-ws-heartbeat").factory();
    ThreadFactory heartbeat =
        task -> {
          Thread thread = platform.newThread(task);
          timerThreads.add(thread);
          return thread;
        };
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, heartbeat);
    t.setRemoveOnCancelPolicy(true);
    ThreadFactory closing = Thread.ofVirtual().name("hpp-ws-close").factory();
    Executor closer = task -> closing.newThread(task).start();
    container = sc;
    timer = t;
    configurator = new SocketConfigurator(engine, t, closer);
  }

  @Override
  public void destroy() {
    ScheduledThreadPoolExecutor t = timer;
    if (t == null) {
      return;
    }
    t.shutdownNow();
    try {
      // so no thread outlives the web application (the container checks, and warns)
      t.awaitTermination(1, TimeUnit.SECONDS);
      for (Thread thread : timerThreads) {
        thread.join(1000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    try {
      Optional<String> sid = api.webSocketSession(HandshakeServlet.pathOf(req));
      HppResponse refusal = refusal(req, sid);
      if (refusal != null || sid.isEmpty() || container == null || configurator == null) {
        HandshakeServlet.writeBlocking(
            resp, refusal != null ? refusal : HandshakeServlet.internalError(), false);
        return;
      }
      ServerEndpointConfig perSocket =
          ServerEndpointConfig.Builder.create(
                  HandshakeEndpoint.class, engine.config().wsPrefix() + "/{sid}")
              .subprotocols(List.of(WsConnection.PROTOCOL))
              .configurator(configurator)
              .build();
      perSocket.getUserProperties().put(SocketConfigurator.SID, sid.get());
      perSocket.getUserProperties().put(SocketConfigurator.ADDRESS, req.getRemoteAddr());
      container.upgradeHttpToWebSocket(req, resp, perSocket, Map.of("sid", sid.get()));
    } catch (IOException | DeploymentException | RuntimeException e) {
      LOG.error("WebSocket upgrade failed", e);
      HandshakeServlet.writeBlocking(resp, HandshakeServlet.internalError(), true);
    }
  }

  /**
   * Why this request cannot be upgraded, as JSON, or null. Checks the handshake headers the
   * container would otherwise refuse with its own (HTML) error page (RFC 6455 §4.2.1).
   */
  private static @Nullable HppResponse refusal(HttpServletRequest req, Optional<String> sid) {
    if (sid.isEmpty()) {
      return json(HppResponse.error(404, "not found"));
    }
    if (!req.getMethod().equals("GET")) {
      return json(HppResponse.error(405, "method not allowed"));
    }
    if (!hasToken(req, "Upgrade", "websocket")) {
      return json(HppResponse.error(426, "websocket upgrade required"))
          .withHeader("Upgrade", "websocket")
          .withHeader("Connection", "Upgrade");
    }
    if (!hasToken(req, "Connection", "upgrade") || req.getHeader("Sec-WebSocket-Key") == null) {
      return json(HppResponse.error(400, "invalid websocket handshake"));
    }
    if (!hasToken(req, "Sec-WebSocket-Version", "13")) {
      return json(HppResponse.error(426, "unsupported websocket version"))
          .withHeader("Sec-WebSocket-Version", "13");
    }
    return null;
  }

  private static HppResponse json(HppResponse r) {
    return r.withHeader("Cache-Control", "no-store");
  }

  private static boolean hasToken(HttpServletRequest req, String header, String token) {
    for (String value : Collections.list(req.getHeaders(header))) {
      for (String t : value.split(",")) {
        if (t.trim().equalsIgnoreCase(token)) {
          return true;
        }
      }
    }
    return false;
  }
}
