package dev.handshake.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handshake.conformance.BrowserSession;
import dev.handshake.conformance.HppServer;
import dev.handshake.conformance.WsTestClient;
import dev.handshake.json.Json;
import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionEngine;
import dev.handshake.session.WsConnection;
import dev.handshake.store.redis.EmbeddedRedis;
import dev.handshake.store.redis.RedisConnection;
import dev.handshake.store.redis.RedisRateLimiter;
import dev.handshake.store.redis.RedisSessionEventBus;
import dev.handshake.store.redis.RedisSessionStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * A browser socket on a node whose sessions live in a real Redis (issue 7): its messages are
 * handled off the event loop and in order, and a Redis outage is a clear {@code error} message
 * (and, for a socket that cannot join, close code 1013 "try again later"), never a hang, while the
 * node keeps serving other requests; the socket works again once Redis is back.
 */
@Timeout(120)
class WebSocketOnRedisTest {
  /** Long enough that a reply before it cannot be the store's timeout. */
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
  static final Duration RECOVERY = Duration.ofSeconds(30);
  static final JsonNode STORE_ERROR =
      Json.mapper()
          .readTree("{\"type\":\"error\",\"msg\":\"" + WsConnection.STORE_UNAVAILABLE + "\"}");
  static EmbeddedRedis redis;

  final SessionConfig config = SessionConfig.defaults().toBuilder().rateLimitPerMinute(1000).build();
  final List<AutoCloseable> opened = new ArrayList<>();
  HandshakeServer node;
  HppServer hpp;

  @BeforeAll
  static void startRedis() {
    redis = EmbeddedRedis.startOnFreePort();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void startNode() throws Exception {
    redis.flushAll();
    RedisConnection connection =
        RedisConnection.open(
            redis.url(),
            RedisConnection.Options.DEFAULTS
                .withCommandTimeout(COMMAND_TIMEOUT)
                .withMaxReconnectDelay(Duration.ofMillis(200)));
    opened.add(connection);
    RedisSessionEventBus bus = RedisSessionEventBus.create(connection);
    opened.add(0, bus);
    Clock clock = Clock.systemUTC();
    SessionEngine engine =
        SessionEngine.builder()
            .config(config)
            .store(RedisSessionStore.create(connection, clock))
            .eventBus(bus)
            .rateLimiter(RedisRateLimiter.create(connection, clock))
            .build();
    node =
        HandshakeServer.start(
            new ServerConfig("127.0.0.1", 0, Optional.empty(), config, 100, false),
            engine,
            null,
            null);
    opened.add(0, node);
    hpp = TwoNodeServerTest.hpp(node, config);
    opened.add(0, hpp);
  }

  @AfterEach
  void stopNode() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
    if (!redis.running()) {
      redis.start();
    }
  }

  /** A browser's edit of {@code key}; {@code value} is JSON text. */
  static String userEdit(String key, String value) {
    return "{\"type\":\"userEdit\",\"key\":\"" + key + "\",\"value\":" + value + "}";
  }

  WsTestClient joined(BrowserSession s) {
    WsTestClient ws = hpp.ws(s);
    assertThat(ws.next().path("type").stringValue()).isEqualTo("connected");
    return ws;
  }

  /** A field of a default-mode session, as the agent reads it. */
  JsonNode field(BrowserSession s, String key) {
    return hpp.contextOk(s).path("data").path(key);
  }

  int health() throws Exception {
    try (HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      return c.send(
              HttpRequest.newBuilder(node.baseUri().resolve(URI.create("/healthz")))
                  .timeout(Duration.ofSeconds(30))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .statusCode();
    }
  }

  @Test
  void framesOfOneSocketAreAppliedInTheOrderTheyWereSent() {
    BrowserSession s = hpp.defaultSession();
    WsTestClient ws = joined(s);

    for (int i = 1; i <= 40; i++) {
      ws.send(userEdit("n", Integer.toString(i)));
    }
    ws.send(userEdit("sentinel", "\"last\""));

    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> assertThat(field(s, "sentinel").asString()).isEqualTo("last"));
    assertThat(field(s, "n").asInt()).as("the last edit sent is the one that stands").isEqualTo(40);
    ws.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void aMessageWhileRedisIsStoppedIsAnsweredWithAStoreErrorAndTheNodeKeepsServing()
      throws Exception {
    BrowserSession s = hpp.defaultSession();
    WsTestClient ws = joined(s);

    redis.stop();
    ws.send(userEdit("name", "\"lost\""));

    assertThat(ws.next(COMMAND_TIMEOUT.multipliedBy(2))).isEqualTo(STORE_ERROR);
    assertThat(health()).as("other requests are served during the outage").isEqualTo(200);
    assertThat(ws.isClosed()).as("the socket stays open for when the store is back").isFalse();

    redis.start();
    await()
        .atMost(RECOVERY)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> hpp.create("{}").status() == 200);
    // the restarted Redis is empty (no persistence): the page starts over and reconnects
    BrowserSession after = hpp.defaultSession();
    WsTestClient again = joined(after);
    again.send(userEdit("name", "\"kept\""));
    await()
        .atMost(RECOVERY)
        .untilAsserted(() -> assertThat(field(after, "name").asString()).isEqualTo("kept"));
    hpp.actionOk(after, "{\"intervalMs\":0,\"actions\":[{\"key\":\"color\",\"value\":7}]}");
    assertThat(again.next(Duration.ofSeconds(10)).toString()).contains("color");
  }

  @Test
  void aSocketOpenedWhileRedisIsStoppedIsToldToTryAgainLater() {
    BrowserSession s = hpp.defaultSession();
    redis.stop();

    WsTestClient ws = hpp.ws(s);

    assertThat(ws.next(COMMAND_TIMEOUT.multipliedBy(2))).isEqualTo(STORE_ERROR);
    assertThat(ws.awaitClose(COMMAND_TIMEOUT.multipliedBy(2)))
        .as("1013: try again later")
        .isEqualTo(WsConnection.TRY_AGAIN_LATER);
  }

  @Test
  void whileRedisHangsSocketsWaitOffTheEventLoopAndTheSameSocketsWorkAfterwards()
      throws Exception {
    // more sockets than event loops (2 per core), so that a call blocking its loop would hold
    // every loop, including the one the health request lands on
    int count = 4 * Runtime.getRuntime().availableProcessors();
    List<BrowserSession> sessions = new ArrayList<>();
    List<WsTestClient> sockets = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      BrowserSession s = hpp.defaultSession();
      sessions.add(s);
      sockets.add(joined(s));
    }

    redis.freeze();
    try {
      sockets.forEach(ws -> ws.send(userEdit("name", "\"while hung\"")));

      assertThat(health()).isEqualTo(200);
      assertThat(sockets)
          .as("the health check was answered while every socket still waited for Redis")
          .allSatisfy(ws -> {
            assertThat(ws.pending()).isZero();
            assertThat(ws.isClosed()).isFalse();
          });
      for (WsTestClient ws : sockets) {
        assertThat(ws.next(COMMAND_TIMEOUT.multipliedBy(3))).isEqualTo(STORE_ERROR);
      }
    } finally {
      redis.thaw();
    }

    BrowserSession s = sessions.get(0);
    WsTestClient ws = sockets.get(0);
    // the lock a timed-out change left in Redis lapses with its lease: retry until applied
    await()
        .atMost(RECOVERY)
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(() -> {
          ws.send(userEdit("name", "\"after\""));
          assertThat(field(s, "name").asString()).isEqualTo("after");
        });
    hpp.actionOk(s, "{\"intervalMs\":0,\"actions\":[{\"key\":\"color\",\"value\":7}]}");
    assertThat(nextOtherThanErrors(ws).toString()).as("pushes reach the same socket").contains("color");
  }

  /** The next message that is not an outage error left over from the retries. */
  static JsonNode nextOtherThanErrors(WsTestClient ws) {
    JsonNode m = ws.next(Duration.ofSeconds(10));
    while (m.equals(STORE_ERROR)) {
      m = ws.next(Duration.ofSeconds(10));
    }
    return m;
  }
}
