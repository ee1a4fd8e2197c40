package dev.handshake.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handshake.json.Json;
import dev.handshake.pairing.flow.MutableClock;
import dev.handshake.session.HppResponse;
import dev.handshake.session.RequestInfo;
import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionEngine;
import dev.handshake.session.WsConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Two session engines — two server nodes without their transports — sharing one real Redis for
 * sessions, rate limits and events: whichever node a request reaches, the person's socket on the
 * other node sees its effect.
 */
class TwoNodeSessionEngineTest {
  static final Duration DELIVERY = Duration.ofSeconds(10);
  static EmbeddedRedis redis;

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T12:00:00Z"));
  RedisConnection connectionA;
  RedisConnection connectionB;
  RedisSessionEventBus busA;
  RedisSessionEventBus busB;
  SessionEngine nodeA;
  SessionEngine nodeB;

  @BeforeAll
  static void startRedis() {
    redis = EmbeddedRedis.startOnFreePort();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void startNodes() {
    redis.flushAll();
    SessionConfig config = SessionConfig.reference().toBuilder().rateLimitPerMinute(3).build();
    connectionA = RedisConnection.open(redis.url());
    connectionB = RedisConnection.open(redis.url());
    busA = RedisSessionEventBus.create(connectionA);
    busB = RedisSessionEventBus.create(connectionB);
    nodeA = node(config, connectionA, busA);
    nodeB = node(config, connectionB, busB);
  }

  private SessionEngine node(SessionConfig config, RedisConnection c, RedisSessionEventBus bus) {
    return SessionEngine.builder()
        .config(config)
        .clock(clock)
        .store(RedisSessionStore.create(c, clock))
        .rateLimiter(RedisRateLimiter.create(c, clock))
        .eventBus(bus)
        .build();
  }

  @AfterEach
  void stopNodes() {
    nodeA.close();
    nodeB.close();
    busA.close();
    busB.close();
    connectionA.close();
    connectionB.close();
  }

  static RequestInfo request(Optional<String> token) {
    return RequestInfo.of(
        name -> name.equalsIgnoreCase("X-Handshake-Token") ? token.orElse(null) : null,
        null,
        "127.0.0.1");
  }

  record Created(String sid, String token) {}

  Created create(SessionEngine node) {
    JsonNode body =
        Json.tryParse(node.create(Json.object(), request(Optional.empty())).body()).orElseThrow();
    return new Created(body.get("sessionId").stringValue(), body.get("token").stringValue());
  }

  /** A browser's socket: records what the engine pushes and whether it was closed. */
  static final class Browser implements WsConnection.Peer {
    final List<String> received = new CopyOnWriteArrayList<>();
    final List<Integer> closes = new CopyOnWriteArrayList<>();

    @Override
    public void send(String text) {
      received.add(text);
    }

    @Override
    public void close(int code) {
      closes.add(code);
    }
  }

  Browser connect(SessionEngine node, Created s) {
    Browser browser = new Browser();
    node.connect(s.sid(), RequestInfo.of(name -> null, "token=" + s.token(), "127.0.0.1"), browser);
    assertThat(browser.received).as("the socket joined").anyMatch(m -> m.contains("\"connected\""));
    return browser;
  }

  HppResponse act(SessionEngine node, Created s, String key, int value) {
    ObjectNode body = Json.object();
    body.put("intervalMs", 0);
    body.putArray("actions").addObject().put("key", key).put("value", value);
    return node.action(s.sid(), body, request(Optional.of(s.token()))).join();
  }

  @Test
  void aBrowserSocketOnNodeASeesAnActionSentToNodeB() {
    Created s = create(nodeA);
    Browser browser = connect(nodeA, s);

    HppResponse r = act(nodeB, s, "color", 7);

    assertThat(r.status()).isEqualTo(200);
    await()
        .atMost(DELIVERY)
        .until(() -> browser.received.stream().anyMatch(m -> m.contains("\"done\"")));
    assertThat(browser.received)
        .as("connected, then the action and done pushes that node B published")
        .hasSize(3)
        .anySatisfy(m -> assertThat(m).contains("\"action\"").contains("\"color\"").contains("7"));
  }

  @Test
  void aSessionCreatedOnNodeAIsReadOnNodeBWithWhatNodeAWrote() {
    Created s = create(nodeA);
    act(nodeA, s, "size", 3);

    HppResponse context = nodeB.context(s.sid(), request(Optional.of(s.token())));

    assertThat(context.status()).isEqualTo(200);
    assertThat(new String(context.body(), java.nio.charset.StandardCharsets.UTF_8))
        .contains("\"size\"");
  }

  @Test
  void theActionRateLimitOfASessionHoldsAcrossNodes() {
    Created s = create(nodeA);

    assertThat(act(nodeA, s, "k", 1).status()).isEqualTo(200);
    assertThat(act(nodeB, s, "k", 2).status()).isEqualTo(200);
    assertThat(act(nodeA, s, "k", 3).status()).isEqualTo(200);

    assertThat(act(nodeB, s, "k", 4).status())
        .as("the fourth action in a minute, on either node")
        .isEqualTo(429);
  }

  @Test
  void aSessionExpiredByNodeBsSweepClosesTheSocketOnNodeA() {
    Created s = create(nodeA);
    Browser browser = connect(nodeA, s);
    clock.advance(SessionConfig.reference().ttl().plusSeconds(1));

    int removed = nodeB.sweepExpired();

    assertThat(removed).isEqualTo(1);
    await().atMost(DELIVERY).until(() -> !browser.closes.isEmpty());
    assertThat(browser.received).contains("{\"type\":\"expired\"}");
    assertThat(nodeA.sweepExpired()).as("node A finds nothing left to expire").isZero();
  }
}
