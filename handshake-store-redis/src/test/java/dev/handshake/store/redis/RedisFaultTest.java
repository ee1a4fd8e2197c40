package dev.handshake.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.handshake.crypto.SecretDigest;
import dev.handshake.delegation.ReplayStore;
import dev.handshake.json.Json;
import dev.handshake.session.SessionEvent;
import dev.handshake.session.SessionState;
import dev.handshake.session.SessionStore;
import dev.handshake.store.RateLimiter;
import dev.handshake.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Redis stopped, killed, hung and restarted under running stores: every call fails with {@link
 * StoreUnavailableException} (never hangs: each test has a hard timeout far above the 500 ms
 * command timeout it configures), and once Redis is back the same connection serves again.
 */
@Timeout(60)
class RedisFaultTest {
  static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);
  static final Duration RECOVERY = Duration.ofSeconds(20);
  static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  EmbeddedRedis redis;
  RedisConnection connection;
  SessionStore sessions;
  RateLimiter limiter;
  ReplayStore replay;

  @BeforeEach
  void start() {
    redis = EmbeddedRedis.startOnFreePort();
    connection =
        RedisConnection.open(
            redis.url(),
            RedisConnection.Options.DEFAULTS
                .withCommandTimeout(COMMAND_TIMEOUT)
                .withMaxReconnectDelay(Duration.ofMillis(200)));
    sessions = RedisSessionStore.create(connection, Clock.systemUTC());
    limiter = RedisRateLimiter.create(connection, Clock.systemUTC());
    replay = RedisReplayStore.create(connection);
  }

  @AfterEach
  void stop() {
    try {
      connection.close();
    } finally {
      redis.close();
    }
  }

  static SessionState session(String id) {
    return new SessionState(
        id,
        SecretDigest.of("t"),
        null,
        Json.nodes().stringNode("default"),
        "default",
        Json.mapper().createArrayNode(),
        Json.object(),
        1800,
        System.currentTimeMillis() * 1000);
  }

  /** One call of each store, all of which must fail while Redis is away. */
  List<ThrowingCallable> everyStoreCall() {
    return List.of(
        () -> sessions.insert(session("new"), 0),
        () -> sessions.update("s1", s -> true),
        () -> sessions.remove("s1"),
        () -> sessions.removeIf(s -> true),
        sessions::size,
        () -> limiter.tryAcquire("k", 5, Duration.ofMinutes(1)),
        () -> limiter.peek("k", 5, Duration.ofMinutes(1)),
        () -> limiter.record("k", Duration.ofMinutes(1)),
        () -> replay.checkAndRecord("a", "n", NOW.plusSeconds(60), NOW),
        () -> replay.size(NOW),
        connection::ping);
  }

  void assertEveryStoreCallIsUnavailable() {
    for (ThrowingCallable call : everyStoreCall()) {
      assertThatThrownBy(call)
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining(connection.address());
    }
  }

  void assertEveryStoreWorks() {
    assertThat(sessions.insert(session("after"), 0)).isTrue();
    assertThat(sessions.update("after", s -> s.data().put("k", Json.nodes().numberNode(1)) == null))
        .contains(true);
    assertThat(limiter.tryAcquire("k", 5, Duration.ofMinutes(1)))
        .isEqualTo(RateLimiter.Decision.ALLOWED);
    assertThat(replay.checkAndRecord("a", "fresh", NOW.plusSeconds(60), NOW))
        .isEqualTo(ReplayStore.Outcome.FIRST);
  }

  void awaitRecovery() {
    await().atMost(RECOVERY).ignoreExceptions().untilAsserted(connection::ping);
  }

  @Test
  void whileRedisIsStoppedEveryCallFailsWithStoreUnavailable() {
    sessions.insert(session("s1"), 0);

    redis.stop();

    assertEveryStoreCallIsUnavailable();
  }

  @Test
  void afterRedisRestartsTheSameConnectionServesAgain() {
    sessions.insert(session("s1"), 0);
    redis.stop();
    assertEveryStoreCallIsUnavailable();

    redis.start();
    awaitRecovery();

    assertEveryStoreWorks();
    assertThat(sessions.update("s1", s -> true))
        .as(
            "Redis was started empty: the session is gone, and that is an empty answer, not an error")
        .isEmpty();
  }

  @Test
  void aKilledRedisIsLikeAStoppedOneAndRecoversTheSameWay() {
    redis.kill();
    assertEveryStoreCallIsUnavailable();

    redis.start();
    awaitRecovery();

    assertEveryStoreWorks();
  }

  @Test
  void aHungRedisMakesCallsTimeOutInsteadOfHanging() {
    sessions.insert(session("s1"), 0);
    redis.freeze();
    try {
      assertThatThrownBy(() -> sessions.update("s1", s -> true))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("timed out");
      assertThatThrownBy(() -> limiter.tryAcquire("k", 5, Duration.ofMinutes(1)))
          .isInstanceOf(StoreUnavailableException.class);
    } finally {
      redis.thaw();
    }
    awaitRecovery();

    assertThat(sessions.update("s1", s -> s.handler())).contains("default");
    assertEveryStoreWorks();
  }

  @Test
  void aReplayStoreThatCannotReachRedisIsAnIoFailureReceiversFailClosedOn() {
    redis.stop();

    assertThatThrownBy(() -> replay.checkAndRecord("a", "n", NOW.plusSeconds(60), NOW))
        .isInstanceOf(java.io.UncheckedIOException.class);
  }

  @Test
  void theEventBusKeepsLocalDeliveryWhileRedisIsAwayAndCrossesNodesAgainAfterwards() {
    try (RedisConnection other = RedisConnection.open(redis.url(), connection.options());
        RedisSessionEventBus nodeA = RedisSessionEventBus.create(connection);
        RedisSessionEventBus nodeB = RedisSessionEventBus.create(other)) {
      List<SessionEvent> onA = new CopyOnWriteArrayList<>();
      List<SessionEvent> onB = new CopyOnWriteArrayList<>();
      nodeA.subscribe("s1", onA::add);
      nodeB.subscribe("s1", onB::add);

      redis.stop();
      int local =
          nodeA.publish("s1", new SessionEvent(SessionEvent.Kind.ACTION, "{\"while\":\"down\"}"));
      assertThat(local)
          .as("publishing never fails; local sockets still get the event")
          .isEqualTo(1);
      assertThatThrownBy(() -> nodeB.subscribe("s2", e -> {}))
          .isInstanceOf(StoreUnavailableException.class);

      redis.start();
      await()
          .atMost(RECOVERY)
          .until(() -> {
            nodeA.publish(
                "s1", new SessionEvent(SessionEvent.Kind.ACTION, "{\"after\":\"restart\"}"));
            return !onB.isEmpty();
          });

      assertThat(onB).allSatisfy(e -> assertThat(e.json()).isEqualTo("{\"after\":\"restart\"}"));
      assertThat(nodeB.subscribedSessions())
          .as("the failed subscription left nothing behind")
          .isEqualTo(1);
    }
  }
}
