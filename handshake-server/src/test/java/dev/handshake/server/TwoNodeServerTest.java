package dev.handshake.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.conformance.BrowserSession;
import dev.handshake.conformance.HppServer;
import dev.handshake.conformance.HttpReply;
import dev.handshake.conformance.WsTestClient;
import dev.handshake.delegation.DelegationTrust;
import dev.handshake.delegation.HandoffConfig;
import dev.handshake.delegation.HandoffVectors;
import dev.handshake.delegation.Reasons;
import dev.handshake.json.Json;
import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionEngine;
import dev.handshake.store.redis.EmbeddedRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Two server nodes over real sockets sharing one real Redis (issue 7 "Tests"): whichever node a
 * request reaches, the other node's browsers and replay memory see it; a Redis outage is a clear
 * 503, and the nodes recover by themselves when Redis is back.
 */
class TwoNodeServerTest {
  static final Clock VECTOR_CLOCK = Clock.fixed(Instant.parse("2026-11-21T03:22:36Z"), ZoneOffset.UTC);
  static EmbeddedRedis redis;

  @TempDir Path dataA;
  @TempDir Path dataB;
  final List<AutoCloseable> opened = new ArrayList<>();
  final SessionConfig config = SessionConfig.defaults().toBuilder().rateLimitPerMinute(3).build();
  HandshakeServer nodeA;
  HandshakeServer nodeB;
  HppServer a;
  HppServer b;

  @BeforeAll
  static void startRedis() {
    redis = EmbeddedRedis.startOnFreePort();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  HandshakeServer node(Path data) throws Exception {
    SharedState shared = SharedState.open(Optional.of(redis.url()), Optional.empty());
    opened.add(shared);
    ServerDelegation delegation = ServerDelegation.open(data,
        HandoffConfig.defaults().withMaxPacketLifetime(Optional.empty()),
        new DelegationTrust(HandoffVectors.registryAbc(), Set.of()), Optional.empty(), shared, VECTOR_CLOCK);
    HandshakeServer server = HandshakeServer.start(
        new ServerConfig("127.0.0.1", 0, Optional.empty(), config, 100, false),
        shared.sessions(SessionEngine.builder().config(config), Clock.systemUTC()).build(), null, delegation);
    opened.add(0, server);
    return server;
  }

  static HppServer hpp(HandshakeServer s, SessionConfig config) {
    return hppAt(s.baseUri(), config);
  }

  static HppServer hppAt(URI base, SessionConfig config) {
    return new HppServer(new dev.handshake.conformance.HppTarget.RunningServer() {
      @Override
      public URI baseUri() {
        return base;
      }

      @Override
      public void close() {}
    }, config);
  }

  @BeforeEach
  void startNodes() throws Exception {
    redis.flushAll();
    nodeA = node(dataA);
    nodeB = node(dataB);
    a = hpp(nodeA, config);
    b = hpp(nodeB, config);
  }

  @AfterEach
  void stopNodes() throws Exception {
    a.close();
    b.close();
    for (AutoCloseable c : opened) {
      c.close();
    }
    if (!redis.running()) {
      redis.start();
    }
  }

  static String action(String key, int value) {
    return "{\"intervalMs\":0,\"actions\":[{\"key\":\"" + key + "\",\"value\":" + value + "}]}";
  }

  @Test
  void aBrowserSocketOnNodeASeesAnAgentsActionSentToNodeB() {
    BrowserSession s = a.defaultSession();
    WsTestClient browser = a.ws(s);
    assertThat(browser.next().path("type").stringValue()).isEqualTo("connected");

    HttpReply r = b.action(s, action("color", 7));

    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonNode pushed = browser.next(Duration.ofSeconds(10));
    assertThat(pushed.toString()).contains("color").contains("7");
  }

  @Test
  void aSessionsRateLimitHoldsAcrossNodes() {
    BrowserSession s = a.defaultSession();
    assertThat(a.action(s, action("k", 1)).status()).isEqualTo(200);
    assertThat(b.action(s, action("k", 2)).status()).isEqualTo(200);
    assertThat(a.action(s, action("k", 3)).status()).isEqualTo(200);
    assertThat(b.action(s, action("k", 4)).status()).as("the fourth action in a minute, on either node").isEqualTo(429);
  }

  @Test
  void aDelegationPacketAcceptedByNodeAIsAReplayOnNodeB() throws Exception {
    String packet = HandoffVectors.singleCase("S1_minimal").path("packet_json").stringValue();
    String verify = "/delegation/verify?receiver=" + HandoffVectors.agentId("B");
    assertThat(decision(post(nodeA.baseUri().resolve(verify), packet))).isEqualTo("ACCEPT " + Reasons.ACCEPTED);
    assertThat(decision(post(nodeB.baseUri().resolve(verify), packet))).isEqualTo("REJECT " + Reasons.REPLAY);
  }

  @Test
  void redisDownIsA503WithinTheTimeoutAndTheNodesRecoverWhenItReturns() throws Exception {
    BrowserSession s = a.defaultSession();
    redis.stop();

    HttpResponse<String> down = create(nodeA);
    assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
    assertThat(Json.mapper().readTree(down.body()).path("error").stringValue()).contains("unavailable");
    HttpReply actionDown = b.action(s, action("k", 1));
    assertThat(actionDown.status()).isEqualTo(503);

    redis.start();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
        .until(() -> create(nodeA).statusCode() == 200);
    BrowserSession after = b.defaultSession();
    assertThat(a.action(after, action("k", 2)).status()).isEqualTo(200);
  }

  /** A browser's create call (same-origin page). */
  HttpResponse<String> create(HandshakeServer node) throws Exception {
    URI base = node.baseUri();
    try (HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      return c.send(HttpRequest.newBuilder(base.resolve(config.prefix() + "/session")).timeout(Duration.ofSeconds(15))
          .header("Content-Type", "application/json").header("Origin", base.getScheme() + "://" + base.getRawAuthority())
          .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  @Test
  void aNodeKilledWithSigkillLeavesItsSessionsToTheOtherNode() throws Exception {
    java.nio.file.Path data = java.nio.file.Files.createTempDirectory(dataA, "child");
    try (ServeProcess child = ServeProcess.start(
        "--port", "0", "--no-demo", "--audit=false", "--pairing=false", "--rate-limit", "3",
        "--relay-port", Integer.toString(ServeProcess.freePort()), "--data", data.toString(),
        "--redis", redis.url())) {
      URI childUri = child.awaitServing(Duration.ofSeconds(60));
      child.awaitLine("Shared state: Redis at ", Duration.ofSeconds(5));
      HppServer c = hppAt(childUri, config);
      BrowserSession s = c.defaultSession();
      WsTestClient onChild = c.ws(s);
      assertThat(onChild.next().path("type").stringValue()).isEqualTo("connected");
      assertThat(c.action(s, action("step", 1)).status()).isEqualTo(200);

      assertThat(child.kill()).as("killed by SIGKILL: no shutdown hook runs").isEqualTo(137);

      // the browser reconnects to the surviving node with the same token, and the agent continues there
      WsTestClient onB = b.ws(s);
      assertThat(onB.next().path("type").stringValue()).isEqualTo("connected");
      assertThat(b.action(s, action("step", 2)).status()).isEqualTo(200);
      assertThat(onB.next(Duration.ofSeconds(10)).toString()).contains("step").contains("2");
      c.close();
    }
  }

  static HttpResponse<String> post(URI uri, String body) throws Exception {
    try (HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      return c.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  static String decision(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode n = Json.mapper().readTree(r.body());
    return n.path("decision").stringValue() + " " + n.path("reason").stringValue();
  }
}
