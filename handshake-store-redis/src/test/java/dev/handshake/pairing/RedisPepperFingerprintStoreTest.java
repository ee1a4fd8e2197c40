package dev.handshake.pairing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.store.StoreUnavailableException;
import dev.handshake.store.redis.EmbeddedRedis;
import dev.handshake.store.redis.RedisConnection;
import dev.handshake.store.redis.RedisPepperFingerprintStore;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fingerprint contract on a real Redis, {@link #otherNode()} on a second connection; the key
 * layout, and a clear failure when Redis is down.
 */
class RedisPepperFingerprintStoreTest extends PepperFingerprintStoreContract {
  static final String KEY = "hs:" + RedisPepperFingerprintStore.KEY;
  static EmbeddedRedis redis;
  static RedisConnection nodeA;
  static RedisConnection nodeB;

  @BeforeAll
  static void startRedis() {
    redis = EmbeddedRedis.startOnFreePort();
    nodeA = RedisConnection.open(redis.url());
    nodeB = RedisConnection.open(redis.url());
  }

  @AfterAll
  static void stopRedis() {
    try {
      nodeA.close();
      nodeB.close();
    } finally {
      redis.close();
    }
  }

  @Override
  protected PepperFingerprintStore open() {
    if (!redis.running()) {
      redis.start();
      Awaitility.await().atMost(Duration.ofSeconds(20))
          .until(() -> nodeA.connected() && nodeB.connected());
    }
    redis.flushAll();
    return RedisPepperFingerprintStore.create(nodeA);
  }

  @Override
  protected PepperFingerprintStore otherNode() {
    return RedisPepperFingerprintStore.create(nodeB);
  }

  @Test
  void theFingerprintIsAStringThatNeverExpires() {
    store.claim(FIRST);

    assertThat(redis.command("TYPE", KEY)).isEqualTo("+string");
    assertThat(redis.command("TTL", KEY)).as("no expiry").isEqualTo(":-1");
    assertThat(redis.command("EVAL", "return redis.call('GET', KEYS[1]) == ARGV[1] and 1 or 0",
            "1", KEY, FIRST.hex()))
        .as("the 64 hex characters of the fingerprint")
        .isEqualTo(":1");
  }

  @Test
  void somethingElseUnderTheKeyIsAClearFailureNotAMismatch() {
    redis.command("SET", KEY, "not a fingerprint");

    assertThatThrownBy(() -> store.claim(FIRST))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(KEY);
  }

  @Test
  void redisDownIsAStoreUnavailableExceptionNotAHang() {
    redis.stop();

    assertThatThrownBy(() -> store.claim(FIRST))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("Redis at");
  }
}
