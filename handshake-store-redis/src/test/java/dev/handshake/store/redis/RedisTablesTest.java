package dev.handshake.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.pairing.Grant;
import dev.handshake.pairing.PairingTables;
import dev.handshake.pairing.Requester;
import dev.handshake.store.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The lock under the table-like Redis stores ({@link RedisTables}), seen through {@link
 * RedisPairingTables}: a lock left by a dead node is waited for within bounds, a unit of work that
 * outlives its lease saves nothing, and a stopped Redis is a clear {@link
 * StoreUnavailableException}, never a hang (each test has a hard timeout far above the limits it
 * configures).
 */
@Timeout(60)
class RedisTablesTest {
  static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
  static final Requester ANN = Requester.of("telegram", "111");
  static final Grant GRANT =
      new Grant(ANN, "r1", "cli:owner", T0, Set.of("chat"), Optional.empty(), Optional.empty());
  static EmbeddedRedis redis;
  static RedisConnection connection;

  @BeforeAll
  static void startRedis() {
    redis = EmbeddedRedis.startOnFreePort();
    connection =
        RedisConnection.open(
            redis.url(),
            RedisConnection.Options.DEFAULTS
                .withCommandTimeout(Duration.ofMillis(500))
                .withMaxReconnectDelay(Duration.ofMillis(200)));
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
  void empty() {
    redis.start();
    redis.flushAll();
  }

  static RedisPairingTables tables(Duration lease, Duration wait) {
    return RedisPairingTables.open(
        connection, RedisTableOptions.DEFAULTS.withLockLease(lease).withLockWait(wait));
  }

  static Optional<Grant> grantOf(PairingTables t) {
    return t.inTransaction(tx -> tx.grant(ANN));
  }

  @Test
  void aLockHeldByADeadNodeEndsTheWaitWithStoreUnavailable() {
    assertThat(redis.command("SET", "hs:pairing:lock", "dead-node", "PX", "30000"))
        .isEqualTo("+OK");
    RedisPairingTables t = tables(Duration.ofSeconds(5), Duration.ofMillis(300));

    assertThatThrownBy(() -> grantOf(t))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("pairing tables stayed locked for longer than PT0.3S");
    assertThat(redis.command("GET", "hs:pairing:lock"))
        .as("another node's lock is not taken over")
        .isEqualTo("$9");
  }

  @Test
  void aDeadNodesLockIsOutwaitedOnceItsLeaseEnds() {
    redis.command("SET", "hs:pairing:lock", "dead-node", "PX", "200");
    RedisPairingTables t = tables(Duration.ofSeconds(5), Duration.ofSeconds(5));

    t.inTransaction(tx -> {
      tx.putGrant(GRANT);
      return null;
    });

    assertThat(grantOf(t)).contains(GRANT);
  }

  @Test
  void aUnitOfWorkThatOutlivesItsLeaseSavesNothing() {
    RedisPairingTables t = tables(Duration.ofMillis(100), Duration.ofSeconds(5));

    assertThatThrownBy(() ->
            t.inTransaction(tx -> {
              tx.putGrant(GRANT);
              // meanwhile the lease runs out and another node takes the lock
              sleep(300);
              redis.command("SET", "hs:pairing:lock", "other-node", "PX", "30000");
              return null;
            }))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("took longer than the lock lease");
    assertThat(redis.command("HEXISTS", "hs:pairing:grants", PairingRows.requesterKey(ANN)))
        .isEqualTo(":0");
    assertThat(redis.command("GET", "hs:pairing:lock"))
        .as("the other node's lock is left alone")
        .isEqualTo("$10");
  }

  @Test
  void aStoppedRedisFailsUnitsOfWorkClearlyAndTheyWorkAgainAfterARestart() {
    RedisPairingTables t = tables(Duration.ofSeconds(5), Duration.ofSeconds(1));
    redis.stop();

    assertThatThrownBy(() -> grantOf(t))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("Redis at redis://127.0.0.1:" + redis.port());

    redis.start();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptionsInstanceOf(StoreUnavailableException.class)
        .until(() -> grantOf(t).isEmpty());
  }

  @Test
  void readOnlyUnitsOfWorkLeaveNoLockBehind() {
    RedisPairingTables t = tables(Duration.ofSeconds(5), Duration.ofSeconds(1));

    grantOf(t);

    assertThat(redis.command("EXISTS", "hs:pairing:lock")).isEqualTo(":0");
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
