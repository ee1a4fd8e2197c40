package dev.handshake.session;

import dev.handshake.json.Json;
import dev.handshake.store.StoreUnavailableException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One browser's live channel (hpp.md §2.5): the adapter calls {@link #onText}, {@link #onIdle}
 * (after {@link SessionConfig#heartbeatInterval()} without inbound messages) and {@link
 * #onClose}; the engine pushes through the {@link Peer}.
 */
public final class WsConnection {
  /** The transport side of a socket. {@code send} must not block; a slow peer is dropped. */
  public interface Peer {
    void send(String text);

    void close(int code);
  }

  /** Sub-protocol prefix carrying the token: {@code new WebSocket(url, ["hpp", "hpp.token.T"])}. */
  public static final String TOKEN_PROTOCOL_PREFIX = "hpp.token.";

  /** The sub-protocol the server selects when the browser offers its token that way. */
  public static final String PROTOCOL = "hpp";

  /**
   * The {@code msg} of the {@code error} message a socket gets when the session store (Redis)
   * cannot be reached: the same words as the HTTP 503.
   */
  public static final String STORE_UNAVAILABLE = "session store unavailable; retry shortly";

  /**
   * Close code "Try Again Later" (IANA WebSocket close code registry, RFC 6455 §11.7): the socket
   * could not join its session because the session store is unreachable.
   */
  public static final int TRY_AGAIN_LATER = 1013;

  private static final Logger LOG = LoggerFactory.getLogger(WsConnection.class);

  private final SessionEngine engine;
  private final String sid;
  private final Peer peer;
  private final SessionEventBus.@Nullable Subscription subscription;

  private WsConnection(
      SessionEngine engine, String sid, Peer peer, SessionEventBus.@Nullable Subscription sub) {
    this.engine = engine;
    this.sid = sid;
    this.peer = peer;
    this.subscription = sub;
  }

  static WsConnection open(SessionEngine engine, String sid, RequestInfo request, Peer peer) {
    SessionConfig c = engine.config;
    if (!c.wsAllowedOrigins().isEmpty()) {
      Optional<String> origin = request.header("Origin");
      if (origin.isEmpty() || !OriginPolicy.allowed(origin.get(), c.wsAllowedOrigins(), request)) {
        return fail(engine, sid, peer, "origin not allowed", 1008);
      }
    }
    Optional<String> token = token(request, c);
    SessionEventBus.@Nullable Subscription sub = null;
    try {
      String[] mode = new String[1];
      HppResponse r =
          engine.withSession(
              sid,
              (s, now) -> {
                HppResponse denied = engine.authenticate(s, token, request, now);
                if (denied == null) {
                  ObjectNode connected = Json.object();
                  connected.put("type", "connected");
                  connected.put("sessionId", sid);
                  connected.set("mode", s.mode());
                  mode[0] = Json.text(connected);
                }
                return denied != null ? denied : HppResponse.text(200, "");
              });
      if (mode[0] == null) {
        return fail(
            engine, sid, peer, r.status() == 404 ? "session not found" : "invalid token", 1000);
      }
      // Subscribe before sending `connected`, holding events until it is out: a client that acts
      // as soon as it sees `connected` must not lose the pushes its action causes.
      Gate gate = new Gate(peer);
      sub = engine.bus.subscribe(sid, gate);
      peer.send(mode[0]);
      gate.open();
      // the session may have ended between authentication and subscription
      boolean live = engine.store.update(sid, s -> Boolean.TRUE).isPresent();
      WsConnection conn = new WsConnection(engine, sid, peer, sub);
      if (!live) {
        peer.send("{\"type\":\"expired\"}");
        peer.close(1000);
      }
      return conn;
    } catch (StoreUnavailableException e) {
      // a shared store (Redis) that cannot be reached: the browser may retry (HTTP answers 503)
      LOG.warn("WebSocket not joined: {}", e.getMessage());
      if (sub != null) {
        sub.close();
      }
      return fail(engine, sid, peer, STORE_UNAVAILABLE, TRY_AGAIN_LATER);
    }
  }

  /** Delivers events to the peer, holding those that arrive before {@link #open()}. */
  private static final class Gate implements SessionEventBus.Listener {
    private final Peer peer;
    private java.util.@Nullable List<SessionEvent> held = new java.util.ArrayList<>();

    Gate(Peer peer) {
      this.peer = peer;
    }

    @Override
    public synchronized void onEvent(SessionEvent event) {
      if (held != null) {
        held.add(event);
      } else {
        deliver(event);
      }
    }

    synchronized void open() {
      java.util.List<SessionEvent> pending = held;
      held = null;
      if (pending != null) {
        pending.forEach(this::deliver);
      }
    }

    private void deliver(SessionEvent event) {
      peer.send(event.json());
      if (event.kind() == SessionEvent.Kind.EXPIRED) {
        peer.close(1000);
      }
    }
  }

  private static Optional<String> token(RequestInfo request, SessionConfig c) {
    Optional<String> protocols = request.header("Sec-WebSocket-Protocol");
    if (protocols.isPresent()) {
      for (String p : protocols.get().split(",")) {
        String t = p.trim();
        if (t.startsWith(TOKEN_PROTOCOL_PREFIX)) {
          return Optional.of(t.substring(TOKEN_PROTOCOL_PREFIX.length()));
        }
      }
    }
    return request.rawQuery().flatMap(q -> QueryStrings.first(q, "token", c.decodeWsQueryToken()));
  }

  private static WsConnection fail(
      SessionEngine engine, String sid, Peer peer, String msg, int code) {
    peer.send(errorMessage(msg));
    peer.close(code);
    return new WsConnection(engine, sid, peer, null);
  }

  private static String errorMessage(String msg) {
    ObjectNode err = Json.object();
    err.put("type", "error");
    err.put("msg", msg);
    return Json.text(err);
  }

  /** Whether the socket joined its session (false after a connect failure). */
  public boolean joined() {
    return subscription != null;
  }

  /** An inbound text frame: {@code userEdit} applies ownership rules; anything else is ignored. */
  public void onText(String text) {
    if (subscription == null) {
      return;
    }
    Optional<JsonNode> msg = Json.tryParse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    if (msg.isEmpty() || !msg.get().isObject()) {
      return;
    }
    JsonNode m = msg.get();
    JsonNode key = m.path("key");
    if (!m.path("type").isString()
        || !m.get("type").stringValue().equals("userEdit")
        || !key.isString()
        || key.stringValue().length() > engine.config.maxKeyLength()) {
      return;
    }
    JsonNode value = m.has("value") ? m.get("value") : Json.nodes().nullNode();
    try {
      engine.withSession(
          sid,
          (s, now) -> {
            ModeHandler h = engine.handler(s);
            ModeContext ctx = engine.modeContext();
            if (h.acceptsUserKey(s, key.stringValue(), ctx)) {
              h.userEdit(s, key.stringValue(), value, ctx);
            }
            return HppResponse.text(200, "");
          });
    } catch (StoreUnavailableException e) {
      // The edit is lost and userEdit has no acknowledgement, so say so; the socket stays open
      // (pushes resume by themselves when the store is back) and the page may send it again.
      LOG.warn("userEdit not applied: {}", e.getMessage());
      peer.send(errorMessage(STORE_UNAVAILABLE));
    }
  }

  /** Inbound silence for the heartbeat interval: send {@code heartbeat} and keep the socket. */
  public void onIdle() {
    if (subscription != null) {
      peer.send("{\"type\":\"heartbeat\"}");
    }
  }

  /** The socket closed: stop delivering to it. */
  public void onClose() {
    if (subscription != null) {
      subscription.close();
    }
  }
}
