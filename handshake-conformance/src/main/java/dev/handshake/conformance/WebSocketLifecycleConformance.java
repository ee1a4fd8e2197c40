package dev.handshake.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.session.SessionConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Heartbeats, expiry and {@code DELETE {prefix}/session/<sid>}: hpp.md §2.5, §3 items 4, 5 and
 * checklist items 24, 25.
 */
public abstract class WebSocketLifecycleConformance extends HppConformanceBase {
  static final Duration HEARTBEAT = Duration.ofMillis(300);
  static final JsonNode EXPIRED = json("{\"type\":\"expired\"}");

  SessionConfig quickHeartbeat(Profile p) {
    return p.builder().heartbeatInterval(HEARTBEAT).build();
  }

  @BothProfiles
  @DisplayName("4.24 [both] after the idle interval without inbound messages the server sends heartbeat and keeps the socket open (60 s scaled to 300 ms)")
  void heartbeat(Profile profile) {
    assumeWebSocket();
    HppServer s = start(quickHeartbeat(profile));
    BrowserSession b = s.defaultSession();
    WsTestClient ws = WebSocketConformance.joined(s, b);
    long t0 = System.nanoTime();
    assertThat(ws.next(Duration.ofSeconds(5))).isEqualTo(json("{\"type\":\"heartbeat\"}"));
    long firstMs = (System.nanoTime() - t0) / 1_000_000;
    assertThat(firstMs).as("not before the idle interval").isGreaterThanOrEqualTo(HEARTBEAT.toMillis() - 50);
    for (int i = 0; i < 2; i++) {
      assertThat(ws.next(Duration.ofSeconds(5))).as("heartbeats keep coming").isEqualTo(json("{\"type\":\"heartbeat\"}"));
    }
    assertThat(ws.isClosed()).as("never closed for idleness").isFalse();
    s.actionOk(b, "{\"stream\":false,\"actions\":[]}");
    JsonNode m = ws.next();
    while (m.path("type").asString().equals("heartbeat")) {
      m = ws.next();
    }
    assertThat(m.path("type").asString()).as("pushes still arrive after heartbeats").isEqualTo("done");
  }

  @BothProfiles
  @DisplayName("4.24 [both] inbound messages reset the idle timer: no heartbeat while the browser keeps talking")
  void inboundResetsIdle(Profile profile) throws InterruptedException {
    assumeWebSocket();
    HppServer s = start(profile.builder().heartbeatInterval(Duration.ofMillis(600)).build());
    BrowserSession b = s.defaultSession();
    WsTestClient ws = WebSocketConformance.joined(s, b);
    long end = System.nanoTime() + Duration.ofMillis(1500).toNanos();
    while (System.nanoTime() < end) {
      ws.send("{\"type\":\"ping\"}");
      assertThat(ws.poll(Duration.ofMillis(150))).as("no heartbeat while messages arrive every 150 ms").isEmpty();
    }
    assertThat(ws.next(Duration.ofSeconds(5))).isEqualTo(json("{\"type\":\"heartbeat\"}"));
  }

  @Test
  @DisplayName("4.25 [ours] on expiry every socket receives {type: expired} and is closed with 1000; later HTTP calls get 404")
  void expiryClosesSockets() {
    assumeWebSocket();
    HppServer s = start(SessionConfig.defaults().toBuilder().ttl(Duration.ofSeconds(60)).sweepInterval(Duration.ofMillis(50)).build());
    BrowserSession b = s.defaultSession();
    WsTestClient one = WebSocketConformance.joined(s, b);
    WsTestClient two = WebSocketConformance.joined(s, b);
    BrowserSession alive = s.defaultSession();
    advance(Duration.ofSeconds(59));
    WsTestClient other = WebSocketConformance.joined(s, alive);
    s.contextOk(alive);
    advance(Duration.ofSeconds(2));
    for (WsTestClient ws : List.of(one, two)) {
      assertThat(ws.next()).isEqualTo(EXPIRED);
      assertThat(ws.awaitClose(Duration.ofSeconds(5))).isEqualTo(1000);
    }
    assertError(s.context(b), 404, "session not found or expired");
    other.expectNoMessage(Duration.ofMillis(200));
    assertThat(other.isClosed()).as("a live session's socket stays open").isFalse();
  }

  @Test
  @DisplayName("4.25 [ours] DELETE {prefix}/session/<sid> → {ok:true}; sockets get {type: expired} + 1000; later calls 404")
  void deleteEndsSession() {
    assumeWebSocket();
    HppServer s = start(Profile.DEFAULT);
    BrowserSession b = s.defaultSession();
    WsTestClient one = WebSocketConformance.joined(s, b);
    WsTestClient two = WebSocketConformance.joined(s, b);
    HttpReply r = s.delete(b);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json()).isEqualTo(json("{\"ok\":true}"));
    for (WsTestClient ws : List.of(one, two)) {
      assertThat(ws.next()).isEqualTo(EXPIRED);
      assertThat(ws.awaitClose(Duration.ofSeconds(5))).isEqualTo(1000);
      assertThat(ws.pending()).isZero();
    }
    assertError(s.context(b), 404, "session not found or expired");
    assertError(s.delete(b), 404, "session not found or expired");
    WsTestClient late = s.ws(b);
    assertThat(late.next()).isEqualTo(obj("type", "error", "msg", "session not found"));
    assertThat(late.awaitClose(Duration.ofSeconds(5))).isEqualTo(1000);
  }

  @Test
  @DisplayName("4.25 [ours] DELETE needs the token; a refused DELETE leaves session and sockets alone")
  void deleteNeedsToken() {
    HppServer s = start(Profile.DEFAULT);
    BrowserSession b = s.defaultSession();
    WsTestClient ws = supportsWebSocket() ? WebSocketConformance.joined(s, b) : null;
    assertError(s.request("DELETE", s.config().prefix() + "/session/" + b.sid()).send(), 403, "invalid token");
    assertError(s.request("DELETE", s.config().prefix() + "/session/" + b.sid()).token("nope").send(), 403, "invalid token");
    s.contextOk(b);
    if (ws != null) {
      ws.expectNoMessage(Duration.ofMillis(200));
      assertThat(ws.isClosed()).isFalse();
    }
  }

  @Test
  @DisplayName("4.25 [ours] DELETE over HTTP ends the session (no WebSocket needed)")
  void deleteOverHttp() {
    HppServer s = start(Profile.DEFAULT);
    BrowserSession b = s.defaultSession();
    HttpReply r = s.delete(b);
    assertThat(r.status()).isEqualTo(200);
    assertJson(r);
    for (HttpReply after : new HttpReply[] {s.context(b), s.diff(b, ""), s.action(b, "{}"), s.extend(b, "{}"), s.notify(b, "{\"key\":\"a\"}")}) {
      assertError(after, 404, "session not found or expired");
    }
  }

  @Test
  @DisplayName("4.25 [ours] the absolute lifetime ends the session and its sockets even while it is in use")
  void lifetimeClosesSockets() {
    assumeWebSocket();
    HppServer s = start(SessionConfig.defaults().toBuilder().ttl(Duration.ofSeconds(100))
        .maxSessionLifetime(Optional.of(Duration.ofSeconds(150))).sweepInterval(Duration.ofMillis(50)).build());
    BrowserSession b = s.defaultSession();
    WsTestClient ws = WebSocketConformance.joined(s, b);
    advance(Duration.ofSeconds(90));
    s.contextOk(b);
    advance(Duration.ofSeconds(61));
    assertThat(ws.next()).isEqualTo(EXPIRED);
    assertThat(ws.awaitClose(Duration.ofSeconds(5))).isEqualTo(1000);
    assertError(s.context(b), 404, "session not found or expired");
  }
}
