package dev.handshake.relay;

import dev.handshake.store.redis.EmbeddedRedis;
import dev.handshake.store.redis.RedisConnection;
import dev.handshake.store.redis.RedisRelayRouter;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The router contract on one real Redis; each node has its own connection, as separate server
 * processes would. Leases are one second and renewed only when the contract says so.
 */
class RedisRelayRouterTest extends RelayRouterContract {
  static final Duration LEASE = Duration.ofSeconds(1);
  static final RedisRelayRouter.Options OPTIONS =
      RedisRelayRouter.Options.DEFAULTS.withLeaseTime(LEASE, Duration.ZERO);

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
  protected RelayRouter newNode(String nodeId) {
    return RedisRelayRouter.create(connections.get(nodeId), nodeId, OPTIONS);
  }

  @Override
  protected Duration leaseTime() {
    return LEASE;
  }

  @Override
  protected void elapse(Duration time) throws InterruptedException {
    Thread.sleep(time.toMillis());
  }
}
