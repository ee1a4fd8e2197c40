package dev.handshake.relay;

import dev.handshake.store.redis.EmbeddedRedis;
import dev.handshake.store.redis.RedisConnection;
import dev.handshake.store.redis.RedisRelayRouter;
import dev.handshake.store.redis.RedisReplayStore;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Two relay engines, each with its own connection to one real Redis, its own {@link
 * RedisRelayRouter} and a {@link RedisReplayStore} named {@code relay} that both share.
 */
class RedisTwoNodeRelayTest extends TwoNodeRelayContract {
  static final Duration LEASE = Duration.ofSeconds(1);

  static EmbeddedRedis redis;
  static Map<String, RedisConnection> connections;

  @BeforeAll
  static void startRedis() {
    redis = EmbeddedRedis.startOnFreePort();
    connections =
        Map.of(
            "a", RedisConnection.open(redis.url()),
            "b", RedisConnection.open(redis.url()),
            "c", RedisConnection.open(redis.url()));
  }

  @AfterAll
  static void stopRedis() {
    try {
      connections.values().forEach(RedisConnection::close);
    } finally {
      redis.close();
    }
  }

  @BeforeEach
  void emptyRedis() {
    redis.flushAll();
  }

  @Override
  protected RelayCluster cluster(String nodeId) {
    RedisConnection c = connections.get(nodeId);
    return RelayCluster.shared(
        RedisRelayRouter.create(
            c, nodeId, RedisRelayRouter.Options.DEFAULTS.withLeaseTime(LEASE, Duration.ZERO)),
        RedisReplayStore.create(c, "relay", 1_000_000));
  }

  @Override
  protected void letLeasesLapse() throws InterruptedException {
    Thread.sleep(LEASE.plusMillis(200).toMillis());
  }
}
