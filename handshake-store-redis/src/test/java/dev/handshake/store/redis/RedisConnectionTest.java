package dev.handshake.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.session.SessionState;
import dev.handshake.session.SessionStateCodec;
import dev.handshake.store.RateLimiter;
import dev.handshake.store.StoreUnavailableException;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RedisConnectionTest {
  static EmbeddedRedis redis;

  @BeforeAll
  static void startRedis() {
    redis = EmbeddedRedis.startOnFreePort();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void clean() {
    redis.flushAll();
  }

  @Test
  void aConnectionAnswersPingAndNamesItsAddress() {
    try (RedisConnection c = RedisConnection.open(redis.url())) {
      c.ping();

      assertThat(c.address()).isEqualTo("redis://127.0.0.1:" + redis.port() + "/0");
      assertThat(c.connected()).isTrue();
    }
  }

  @Test
  void theDatabaseInTheUrlIsTheOneWrittenTo() {
    try (RedisConnection db3 = RedisConnection.open(redis.url(3));
        RedisConnection db0 = RedisConnection.open(redis.url())) {
      RedisRateLimiter.create(db3, Clock.systemUTC()).record("k", Duration.ofMinutes(1));

      Long inDb3 = db3.call("DBSIZE", RedisCommands::dbsize);
      Long inDb0 = db0.call("DBSIZE", RedisCommands::dbsize);
      assertThat(inDb3).isEqualTo(1);
      assertThat(inDb0).isZero();
      assertThat(db3.address()).endsWith("/3");
    }
  }

  @Test
  void everyKeyCarriesTheConfiguredPrefix() {
    try (RedisConnection c =
        RedisConnection.open(
            redis.url(), RedisConnection.Options.DEFAULTS.withKeyPrefix("blue:"))) {
      RateLimiter limiter = RedisRateLimiter.create(c, Clock.systemUTC());

      limiter.record("k", Duration.ofMinutes(1));

      assertThat(redis.command("EXISTS", "blue:rate:k")).isEqualTo(":1");
      assertThat(redis.command("EXISTS", "hs:rate:k")).isEqualTo(":0");
    }
  }

  @Test
  @Timeout(30)
  void nothingListeningAtTheAddressIsAClearStoreUnavailableException() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String url = "redis://127.0.0.1:" + port;

    assertThatThrownBy(() -> RedisConnection.open(url))
        .isInstanceOf(StoreUnavailableException.class)
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("redis://127.0.0.1:" + port)
        .hasMessageContaining("unreachable");
  }

  @Test
  void aPasswordIsUsedButNeverShown() {
    try (EmbeddedRedis guarded = EmbeddedRedis.startOnFreePort()) {
      assertThat(guarded.command("CONFIG", "SET", "requirepass", "s3cret-pw")).isEqualTo("+OK");
      String good = "redis://:s3cret-pw@127.0.0.1:" + guarded.port();
      String bad = "redis://:wrong-pw@127.0.0.1:" + guarded.port();

      try (RedisConnection c = RedisConnection.open(good)) {
        c.ping();
        assertThat(c.address()).doesNotContain("s3cret");
      }
      assertThatThrownBy(() -> RedisConnection.open(bad))
          .isInstanceOf(StoreUnavailableException.class)
          .satisfies(e -> assertThat(fullText(e)).doesNotContain("wrong-pw"));
    }
  }

  @Test
  void urlsThatAreNotRedisUrlsAreRefused() {
    for (String url :
        new String[] {
          "http://127.0.0.1:6379", "127.0.0.1:6379", "redis-sentinel://h:1#m", "redis://"
        }) {
      assertThatThrownBy(() -> RedisConnection.open(url))
          .as(url)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void limitsMustBePositive() {
    assertThatThrownBy(() -> RedisConnection.Options.DEFAULTS.withCommandTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedisConnection.Options.DEFAULTS.withRequestQueueSize(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aMalformedCommandIsABugNotAnOutage() {
    try (RedisConnection c = RedisConnection.open(redis.url())) {
      redis.command("SET", "hs:sessions", "not a sorted set");
      SessionState s =
          SessionStateCodec.decode(
              ("{\"v\":1,\"id\":\"x\",\"token\":\""
                      + "A".repeat(43)
                      + "=\",\"mode\":null,\"handler\":\"default\","
                      + "\"schema\":[],\"ttl\":30,\"createdAt\":0,\"touchedAt\":0,\"extended\":0,\"values\":[],"
                      + "\"data\":{},\"changes\":[],\"nextSeq\":1}")
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8));

      assertThatThrownBy(() -> RedisSessionStore.create(c, Clock.systemUTC()).insert(s, 0))
          .isInstanceOf(IllegalStateException.class)
          .isNotInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("WRONGTYPE");
    }
  }

  private static String fullText(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t).append('\n');
    }
    return all.toString();
  }
}
