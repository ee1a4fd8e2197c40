package dev.handshake.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.store.RateLimiter.Decision;
import dev.handshake.store.redis.RedisServer;
import dev.handshake.store.redis.RedisRateLimiter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The rate-limiter contract on a real Redis, plus a limit shared by two nodes. */
class RedisRateLimiterTest extends RateLimiterContract {
  @RegisterExtension static final RedisServer REDIS = new RedisServer();

  @Override
  protected RateLimiter open(Clock clock) {
    REDIS.redis().flushAll();
    return RedisRateLimiter.create(REDIS.nodeA(), clock);
  }

  @Test
  void aLimitHoldsAcrossTwoNodesRacingOnOneKey() throws Exception {
    RateLimiter onB = RedisRateLimiter.create(REDIS.nodeB(), clock);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
      for (int t = 0; t < THREADS; t++) {
        RateLimiter mine = t % 2 == 0 ? limiter : onB;
        futures.add(
            pool.submit(() -> {
              go.await();
              int allowed = 0;
              for (int i = 0; i < 10; i++) {
                if (Decision.ALLOWED.equals(mine.tryAcquire("login:alice", 15, MINUTE))) {
                  allowed++;
                }
              }
              return allowed;
            }));
      }
      go.countDown();
      int total = 0;
      for (Future<Integer> f : futures) {
        total += f.get();
      }
      assertThat(total).as("80 hits from two nodes against a shared limit of 15").isEqualTo(15);
    }
  }

  @Test
  void aKeysLogExpiresInRedisOneWindowAfterItsLastHit() {
    limiter.tryAcquire("k", 5, MINUTE);

    long pttl = Long.parseLong(REDIS.redis().command("PTTL", "hs:rate:k").substring(1));

    assertThat(pttl).isPositive().isLessThanOrEqualTo(MINUTE.toMillis());
  }
}
