package dev.handshake.servlet;

import static dev.handshake.servlet.HandshakeServletTest.assertJsonError;
import static dev.handshake.servlet.Servers.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.conformance.BrowserSession;
import dev.handshake.conformance.HppServer;
import dev.handshake.conformance.WsTestClient;
import dev.handshake.session.SessionConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The WebSocket side of the adapter in a real Tomcat (hpp.md §2.5). */
class HandshakeEndpointTest {
  private static final String SCHEMA =
      "[{\"key\":\"name\",\"type\":\"string\",\"required\":true},{\"key\":\"city\"}]";

  private final Servers servers = new Servers();

  @AfterEach
  void stop() {
    servers.close();
  }

  @Test
  void createContextAndStreamedActionReachTheSocket() throws Exception {
    HppServer s = servers.start(SessionConfig.defaults());
    BrowserSession b = s.formFill(SCHEMA, "{\"name\":null}");
    WsTestClient ws = s.ws(b.sid(), List.of("hpp", "hpp.token." + b.token()), Map.of());
    assertThat(ws.subprotocol()).as("server selects the hpp sub-protocol").isEqualTo("hpp");
    JsonNode connected = ws.next();
    assertThat(connected.path("type").asString()).isEqualTo("connected");
    assertThat(connected.path("sessionId").asString()).isEqualTo(b.sid());
    assertThat(connected.path("mode").asString()).isEqualTo("form-fill");
    assertThat(s.contextOk(b).path("missing")).isEqualTo(json("[\"name\"]"));

    JsonNode reply =
        s.actionOk(
            b,
            "{\"stream\":true,\"intervalMs\":50,\"actions\":["
                + "{\"type\":\"set\",\"key\":\"name\",\"value\":\"Alice\"},"
                + "{\"type\":\"set\",\"key\":\"city\",\"value\":\"Oslo\"}]}");

    assertThat(reply.path("applied")).isEqualTo(json("[\"name\",\"city\"]"));
    assertThat(ws.next())
        .isEqualTo(json("{\"type\":\"action\",\"key\":\"name\",\"value\":\"Alice\"}"));
    assertThat(ws.next())
        .isEqualTo(json("{\"type\":\"action\",\"key\":\"city\",\"value\":\"Oslo\"}"));
    assertThat(ws.next())
        .isEqualTo(json("{\"type\":\"done\",\"applied\":2,\"rejected\":[],\"missing\":[]}"));
  }

  @Test
  void eventsRightAfterConnectedAreNeverLost() throws Exception {
    // the engine sends "connected" before it subscribes the socket; the peer must hold it back
    HppServer s = servers.start(SessionConfig.builder().createPerMinutePerAddress(0).build());
    for (int round = 0; round < 200; round++) {
      BrowserSession b = s.defaultSession();
      try (WsTestClient ws = s.ws(b)) {
        assertThat(ws.next().path("type").asString()).isEqualTo("connected");
        s.actionOk(b, "{\"stream\":false,\"actions\":[]}");
        assertThat(ws.next(Duration.ofSeconds(2)).path("type").asString())
            .as("done of round %s", round)
            .isEqualTo("done");
      }
    }
  }

  @Test
  void queryTokenConnectsWithoutSubProtocol() throws Exception {
    HppServer s = servers.start(SessionConfig.defaults());
    WsTestClient ws = s.ws(s.defaultSession());
    assertThat(ws.subprotocol()).isEmpty();
    assertThat(ws.next().path("type").asString()).isEqualTo("connected");
  }

  @Test
  void badTokenGetsOneErrorThenClose1000() throws Exception {
    HppServer s = servers.start(SessionConfig.defaults());
    BrowserSession b = s.defaultSession();
    WsTestClient ws = s.ws(b.sid() + "?token=wrong", List.of(), Map.of());
    assertThat(ws.next()).isEqualTo(json("{\"type\":\"error\",\"msg\":\"invalid token\"}"));
    assertThat(ws.awaitClose(Duration.ofSeconds(5))).isEqualTo(1000);
  }

  @Test
  void deletedSessionSendsExpiredBeforeClosing() throws Exception {
    HppServer s = servers.start(SessionConfig.defaults());
    BrowserSession b = s.defaultSession();
    WsTestClient ws = s.ws(b);
    ws.next();
    assertThat(s.delete(b).status()).isEqualTo(200);
    assertThat(ws.next().path("type").asString()).isEqualTo("expired");
    assertThat(ws.awaitClose(Duration.ofSeconds(5))).isEqualTo(1000);
  }

  @Test
  void heartbeatFollowsInboundSilenceAndKeepsTheSocket() throws Exception {
    HppServer s =
        servers.start(SessionConfig.builder().heartbeatInterval(Duration.ofMillis(300)).build());
    WsTestClient ws = s.ws(s.defaultSession());
    ws.next();
    assertThat(ws.next(Duration.ofSeconds(3)).path("type").asString()).isEqualTo("heartbeat");
    assertThat(ws.next(Duration.ofSeconds(3)).path("type").asString()).isEqualTo("heartbeat");
    assertThat(ws.isClosed()).as("idleness never closes the socket").isFalse();
  }

  @Test
  void inboundMessagesPostponeTheHeartbeat() throws Exception {
    HppServer s =
        servers.start(SessionConfig.builder().heartbeatInterval(Duration.ofMillis(800)).build());
    WsTestClient ws = s.ws(s.defaultSession());
    ws.next();
    for (int i = 0; i < 6; i++) {
      Thread.sleep(250);
      ws.send("{\"type\":\"ping\"}");
    }
    assertThat(ws.pending()).as("no heartbeat while the browser keeps talking").isZero();
    assertThat(ws.next(Duration.ofSeconds(3)).path("type").asString()).isEqualTo("heartbeat");
  }

  @Test
  void userEditOverTheSocketLocksTheField() throws Exception {
    HppServer s = servers.start(SessionConfig.defaults());
    BrowserSession b = s.formFill(SCHEMA, "{\"name\":null}");
    WsTestClient ws = s.ws(b);
    ws.next();
    ws.send("{\"type\":\"userEdit\",\"key\":\"name\",\"value\":\"Bob\"}");
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> s.contextOk(b).at("/context/name/by").asString().equals("user"));
  }

  @Test
  void oversizedMessageClosesWith1009() throws Exception {
    HppServer s = servers.start(SessionConfig.builder().maxBodyBytes(1024).build());
    WsTestClient ws = s.ws(s.defaultSession());
    ws.next();
    ws.send("{\"type\":\"userEdit\",\"key\":\"k\",\"value\":\"" + "x".repeat(4000) + "\"}");
    assertThat(ws.awaitClose(Duration.ofSeconds(5))).isEqualTo(1009);
  }

  @Test
  void socketPathWithoutUpgradeAnswersJson() throws Exception {
    HppServer s = servers.start(SessionConfig.defaults());
    String path = "/ws/handshake/" + s.defaultSession().sid();
    assertJsonError(s.request("GET", path).send(), 426, "websocket upgrade required");
    assertJsonError(s.request("POST", path).body("{}").send(), 405, "method not allowed");
    assertJsonError(s.request("GET", "/ws/handshake/a/b").send(), 404, "not found");
  }
}
