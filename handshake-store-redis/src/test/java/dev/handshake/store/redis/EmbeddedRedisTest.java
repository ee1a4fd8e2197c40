package dev.handshake.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EmbeddedRedisTest {

  @Test
  void aStartedServerAnswersOnLoopbackAndForgetsEverythingWhenStoppedAndStartedAgain() {
    try (EmbeddedRedis redis = EmbeddedRedis.startOnFreePort()) {
      int port = redis.port();
      assertThat(redis.command("SET", "k", "v")).isEqualTo("+OK");

      redis.stop();
      assertThat(redis.running()).isFalse();
      redis.start();

      assertThat(redis.port()).as("same port after a restart").isEqualTo(port);
      assertThat(redis.command("EXISTS", "k")).as("nothing persisted").isEqualTo(":0");
      assertThat(redis.url()).isEqualTo("redis://127.0.0.1:" + port);
    }
  }

  @Test
  void closingKillsTheServerAndDeletesItsFolder() {
    EmbeddedRedis redis = EmbeddedRedis.startOnFreePort();
    Path dir = redis.directory();
    assertThat(dir).isDirectory();

    redis.close();

    assertThat(redis.running()).isFalse();
    assertThat(Files.exists(dir)).as("temporary folder %s", dir).isFalse();
  }

  @Test
  void twoServersGetTwoPorts() {
    try (EmbeddedRedis a = EmbeddedRedis.startOnFreePort();
        EmbeddedRedis b = EmbeddedRedis.startOnFreePort()) {
      a.command("SET", "only-in-a", "1");

      assertThat(a.port()).isNotEqualTo(b.port());
      assertThat(b.command("EXISTS", "only-in-a")).isEqualTo(":0");
    }
  }
}
