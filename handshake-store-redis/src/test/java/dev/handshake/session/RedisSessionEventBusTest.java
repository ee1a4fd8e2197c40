package dev.handshake.session;

import dev.handshake.store.redis.EmbeddedRedis;
import dev.handshake.store.redis.RedisConnection;
import dev.handshake.store.redis.RedisSessionEventBus;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The event bus contract with two nodes, each with its own connections to one real Redis. */
class RedisSessionEventBusTest extends SessionEventBusContract {
  static EmbeddedRedis redis;
  static RedisConnection connectionA;
  static RedisConnection connectionB;

  @BeforeAll
  static void startRedis() {
    redis = EmbeddedRedis.startOnFreePort();
    connectionA = RedisConnection.open(redis.url());
    connectionB = RedisConnection.open(redis.url());
  }

  @AfterAll
  static void stopRedis() {
    try {
      connectionA.close();
      connectionB.close();
    } finally {
      redis.close();
    }
  }

  @Override
  protected List<SessionEventBus> openTwoNodes() {
    return List.of(
        RedisSessionEventBus.create(connectionA), RedisSessionEventBus.create(connectionB));
  }

  @Override
  protected void release(SessionEventBus node) {
    ((RedisSessionEventBus) node).close();
  }
}
