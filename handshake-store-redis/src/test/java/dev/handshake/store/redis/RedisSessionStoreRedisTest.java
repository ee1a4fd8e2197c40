package dev.handshake.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.handshake.crypto.SecretDigest;
import dev.handshake.json.Json;
import dev.handshake.session.SessionState;
import dev.handshake.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the Redis session store does beyond the contract: expiry in Redis and its locks. */
class RedisSessionStoreRedisTest {
  static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
  static EmbeddedRedis redis;
  static RedisConnection connection;

  @BeforeAll
  static void startRedis() {
    redis = EmbeddedRedis.startOnFreePort();
    connection = RedisConnection.open(redis.url());
  }

  @AfterAll
  static void stopRedis() {
    try {
      connection.close();
    } finally {
      redis.close();
    }
  }

  @BeforeEach
  void clean() {
    redis.flushAll();
  }

  static SessionState session(String id, long ttlSeconds, Instant touched) {
    return new SessionState(
        id,
        SecretDigest.of("t"),
        null,
        Json.nodes().stringNode("default"),
        "default",
        Json.mapper().createArrayNode(),
        Json.object(),
        ttlSeconds,
        touched.toEpochMilli() * 1000);
  }

  static long pttl(String key) {
    return Long.parseLong(redis.command("PTTL", key).substring(1));
  }

  @Test
  void aSessionKeyExpiresInRedisWithItsIdleTimerPlusTheGrace() {
    RedisSessionStore store = RedisSessionStore.create(connection, CLOCK);

    store.insert(session("s1", 1800, T0.minusSeconds(300)), 0);

    assertThat(pttl("hs:session:s1"))
        .as("1500 s of idle time left plus 60 s of grace")
        .isBetween(1_559_000L, 1_560_000L);
  }

  @Test
  void touchingASessionPushesItsRedisExpiryBack() {
    RedisSessionStore store = RedisSessionStore.create(connection, CLOCK);
    store.insert(session("s1", 600, T0.minusSeconds(500)), 0);

    store.update(
        "s1",
        s -> {
          s.touch(T0.toEpochMilli() * 1000);
          return true;
        });

    assertThat(pttl("hs:session:s1")).isBetween(659_000L, 660_000L);
  }

  @Test
  void aSessionRedisExpiredIsReportedByTheNextSweepAndNoLongerCounted() {
    RedisSessionStore store =
        RedisSessionStore.create(
            connection,
            CLOCK,
            new RedisSessionStore.Options(
                Duration.ZERO, Duration.ofSeconds(5), Duration.ofSeconds(6), 256));
    store.insert(session("gone", 1, T0.minusSeconds(10)), 0);
    store.insert(session("kept", 1800, T0), 0);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> redis.command("EXISTS", "hs:session:gone").equals(":0"));

    assertThat(store.removeIf(s -> false)).containsExactly("gone");
    assertThat(store.removeIf(s -> false)).as("reported once").isEmpty();
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void aLockLeftByADeadNodeExpiresAndTheSessionIsServedAgain() {
    RedisSessionStore store = RedisSessionStore.create(connection, CLOCK);
    store.insert(session("s1", 1800, T0), 0);
    redis.command("SET", "hs:session-lock:s1", "a node that died", "PX", "300");

    assertThat(store.update("s1", SessionState::handler)).contains("default");
  }

  @Test
  void waitingLongerThanTheLockWaitFailsAndRunsNothing() {
    RedisSessionStore store =
        RedisSessionStore.create(
            connection,
            CLOCK,
            new RedisSessionStore.Options(
                Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofMillis(200), 256));
    store.insert(session("s1", 1800, T0), 0);
    redis.command("SET", "hs:session-lock:s1", "another node", "PX", "10000");
    AtomicInteger runs = new AtomicInteger();

    assertThatThrownBy(() -> store.update("s1", s -> runs.incrementAndGet()))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("locked");
    assertThat(runs).hasValue(0);
  }

  @Test
  void aChangeThatOutlivesItsLeaseIsNotSaved() {
    RedisSessionStore store =
        RedisSessionStore.create(
            connection,
            CLOCK,
            new RedisSessionStore.Options(
                Duration.ofSeconds(60), Duration.ofMillis(50), Duration.ofSeconds(6), 256));
    store.insert(session("s1", 1800, T0), 0);

    assertThatThrownBy(() ->
            store.update(
                "s1",
                s -> {
                  s.setOwner("slow writer");
                  await()
                      .atMost(Duration.ofSeconds(10))
                      .until(() -> redis.command("EXISTS", "hs:session-lock:s1").equals(":0"));
                  return true;
                }))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("lease");
    assertThat(store.update("s1", s -> s.owner().isPresent())).contains(false);
  }

  @Test
  void anUpdateThatChangesNothingWritesNothing() {
    RedisSessionStore store = RedisSessionStore.create(connection, CLOCK);
    store.insert(session("s1", 1800, T0), 0);
    redis.command("PEXPIRE", "hs:session:s1", "123456789");

    store.update("s1", SessionState::handler);

    assertThat(pttl("hs:session:s1"))
        .as("expiry untouched, so the value was not rewritten")
        .isGreaterThan(123_000_000L);
  }
}
