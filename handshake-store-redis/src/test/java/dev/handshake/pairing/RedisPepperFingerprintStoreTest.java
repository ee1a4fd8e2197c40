package dev.handshake.pairing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.store.StoreUnavailableException;
import dev.handshake.store.redis.RedisServer;
import dev.handshake.store.redis.RedisPepperFingerprintStore;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fingerprint contract on a real Redis, {@link #otherNode()} on a second connection; the key
 * layout, and a clear failure when Redis is down.
 */
class RedisPepperFingerprintStoreTest extends PepperFingerprintStoreContract {
  static final String KEY = "hs:" + RedisPepperFingerprintStore.KEY;
  @RegisterExtension static final RedisServer REDIS = new RedisServer();

  @Override
  protected PepperFingerprintStore open() {
    if (!REDIS.redis().running()) {
      REDIS.redis().start();
      Awaitility.await().atMost(Duration.ofSeconds(20))
          .until(() -> REDIS.nodeA().connected() && REDIS.nodeB().connected());
    }
    REDIS.redis().flushAll();
    return RedisPepperFingerprintStore.create(REDIS.nodeA());
  }

  @Override
  protected PepperFingerprintStore otherNode() {
    return RedisPepperFingerprintStore.create(REDIS.nodeB());
  }

  @Test
  void theFingerprintIsAStringThatNeverExpires() {
    store.claim(FIRST);

    assertThat(REDIS.redis().command("TYPE", KEY)).isEqualTo("+string");
    assertThat(REDIS.redis().command("TTL", KEY)).as("no expiry").isEqualTo(":-1");
    assertThat(REDIS.redis().command("EVAL", "return redis.call('GET', KEYS[1]) == ARGV[1] and 1 or 0",
            "1", KEY, FIRST.hex()))
        .as("the 64 hex characters of the fingerprint")
        .isEqualTo(":1");
  }

  @Test
  void somethingElseUnderTheKeyIsAClearFailureNotAMismatch() {
    REDIS.redis().command("SET", KEY, "not a fingerprint");

    assertThatThrownBy(() -> store.claim(FIRST))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(KEY);
  }

  @Test
  void redisDownIsAStoreUnavailableExceptionNotAHang() {
    REDIS.redis().stop();

    assertThatThrownBy(() -> store.claim(FIRST))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("Redis at");
  }
}
