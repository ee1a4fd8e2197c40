package dev.handshake.store.redis;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link EmbeddedRedis} per test class and two {@link RedisConnection}s to it, as two server
 * nodes would have: register with {@code @RegisterExtension static final RedisServer REDIS = new
 * RedisServer();}. Connections and server are stopped after the class, whether its tests passed
 * or not.
 */
public final class RedisServer implements BeforeAllCallback, AfterAllCallback {
  private EmbeddedRedis redis;
  private RedisConnection nodeA;
  private RedisConnection nodeB;

  @Override
  public void beforeAll(ExtensionContext context) {
    redis = EmbeddedRedis.startOnFreePort();
    nodeA = RedisConnection.open(redis.url());
    nodeB = RedisConnection.open(redis.url());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      if (nodeA != null) {
        nodeA.close();
      }
      if (nodeB != null) {
        nodeB.close();
      }
    } finally {
      if (redis != null) {
        redis.close();
      }
    }
  }

  /** The server (stop, start, flush it). */
  public EmbeddedRedis redis() {
    return redis;
  }

  /** The first node's connection. */
  public RedisConnection nodeA() {
    return nodeA;
  }

  /** The second node's connection. */
  public RedisConnection nodeB() {
    return nodeB;
  }
}
