package dev.handshake.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.pairing.flow.MutableClock;
import dev.handshake.store.RateLimiter.Decision;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RateLimiter} must do (hpp.md §2.4: a sliding log, refused hits cost nothing);
 * extended once per implementation. Time comes from a clock the test moves.
 */
abstract class RateLimiterContract {
  static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
  static final Duration MINUTE = Duration.ofMinutes(1);
  static final int THREADS = 8;

  protected final MutableClock clock = new MutableClock(T0);
  protected RateLimiter limiter;

  /** A fresh limiter with no hits recorded, reading time from {@code clock}. */
  protected abstract RateLimiter open(Clock clock) throws Exception;

  /** Releases what {@link #open} acquired; the default does nothing. */
  protected void release(RateLimiter limiter) throws Exception {}

  @BeforeEach
  void setUp() throws Exception {
    limiter = open(clock);
  }

  @AfterEach
  void tearDown() throws Exception {
    release(limiter);
  }

  @Test
  void hitsUpToTheLimitAreAllowedAndTheNextIsLimited() {
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.tryAcquire("ip:1", 3, MINUTE))
          .as("hit %d", i + 1)
          .isEqualTo(Decision.ALLOWED);
    }

    assertThat(limiter.tryAcquire("ip:1", 3, MINUTE)).isInstanceOf(Decision.Limited.class);
  }

  @Test
  void retryAfterIsWhenTheOldestHitLeavesTheWindow() {
    limiter.tryAcquire("k", 2, MINUTE);
    clock.advance(Duration.ofSeconds(20));
    limiter.tryAcquire("k", 2, MINUTE);
    clock.advance(Duration.ofSeconds(10));

    Decision d = limiter.tryAcquire("k", 2, MINUTE);

    assertThat(d).isEqualTo(new Decision.Limited(Duration.ofSeconds(30)));
  }

  @Test
  void aHitLeavesTheWindowExactlyOneWindowLater() {
    limiter.tryAcquire("k", 1, MINUTE);
    clock.advance(MINUTE.minusMillis(1));
    assertThat(limiter.tryAcquire("k", 1, MINUTE)).isInstanceOf(Decision.Limited.class);

    clock.advance(Duration.ofMillis(1));

    assertThat(limiter.tryAcquire("k", 1, MINUTE)).isEqualTo(Decision.ALLOWED);
  }

  @Test
  void aRefusedHitUsesNoQuota() {
    limiter.tryAcquire("k", 1, MINUTE);
    clock.advance(Duration.ofSeconds(30));
    for (int i = 0; i < 5; i++) {
      limiter.tryAcquire("k", 1, MINUTE);
    }

    clock.advance(Duration.ofSeconds(30));

    assertThat(limiter.tryAcquire("k", 1, MINUTE))
        .as("only the first, allowed hit counted; it has left the window")
        .isEqualTo(Decision.ALLOWED);
  }

  @Test
  void keysAreCountedSeparatelyAndComparedExactly() {
    limiter.tryAcquire("route\u0000127.0.0.1", 1, MINUTE);

    assertThat(limiter.tryAcquire("route\u0000127.0.0.2", 1, MINUTE)).isEqualTo(Decision.ALLOWED);
    assertThat(limiter.tryAcquire("route", 1, MINUTE)).isEqualTo(Decision.ALLOWED);
    assertThat(limiter.tryAcquire("ROUTE\u0000127.0.0.1", 1, MINUTE)).isEqualTo(Decision.ALLOWED);
    assertThat(limiter.tryAcquire("route\u0000127.0.0.1", 1, MINUTE))
        .isInstanceOf(Decision.Limited.class);
  }

  @Test
  void peekReportsWithoutRecording() {
    assertThat(limiter.peek("k", 1, MINUTE)).isEqualTo(Decision.ALLOWED);
    assertThat(limiter.peek("k", 1, MINUTE))
        .as("peeking twice records nothing")
        .isEqualTo(Decision.ALLOWED);
    limiter.tryAcquire("k", 1, MINUTE);
    clock.advance(Duration.ofSeconds(45));

    assertThat(limiter.peek("k", 1, MINUTE))
        .isEqualTo(new Decision.Limited(Duration.ofSeconds(15)));
  }

  @Test
  void recordCountsEvenBeyondTheLimit() {
    for (int i = 0; i < 4; i++) {
      limiter.record("failures", MINUTE);
    }

    assertThat(limiter.peek("failures", 4, MINUTE)).isInstanceOf(Decision.Limited.class);
    assertThat(limiter.peek("failures", 5, MINUTE)).isEqualTo(Decision.ALLOWED);
  }

  @Test
  void severalHitsInTheSameMillisecondAllCount() {
    for (int i = 0; i < 5; i++) {
      limiter.record("burst", MINUTE);
    }
    limiter.tryAcquire("burst", 10, MINUTE);

    assertThat(limiter.peek("burst", 6, MINUTE)).isInstanceOf(Decision.Limited.class);
    assertThat(limiter.peek("burst", 7, MINUTE)).isEqualTo(Decision.ALLOWED);
  }

  @Test
  void sweepingKeepsEveryHitStillInsideItsWindow() {
    limiter.tryAcquire("old", 1, MINUTE);
    clock.advance(Duration.ofSeconds(40));
    limiter.tryAcquire("young", 1, MINUTE);
    clock.advance(Duration.ofSeconds(30));

    limiter.sweep();

    assertThat(limiter.tryAcquire("old", 1, MINUTE)).isEqualTo(Decision.ALLOWED);
    assertThat(limiter.tryAcquire("young", 1, MINUTE)).isInstanceOf(Decision.Limited.class);
  }

  @Test
  void retryAfterSecondsRoundsUpAndIsAtLeastOne() {
    assertThat(new Decision.Limited(Duration.ofMillis(1)).retryAfterSeconds()).isEqualTo(1);
    assertThat(new Decision.Limited(Duration.ofMillis(1001)).retryAfterSeconds()).isEqualTo(2);
    assertThat(new Decision.Limited(Duration.ZERO).retryAfterSeconds()).isEqualTo(1);
  }

  @Test
  void racingHitsNeverExceedTheLimit() throws Exception {
    int limit = 20;
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
      for (int t = 0; t < THREADS; t++) {
        futures.add(
            pool.submit(() -> {
              go.await();
              int allowed = 0;
              for (int i = 0; i < 10; i++) {
                if (Decision.ALLOWED.equals(limiter.tryAcquire("shared", limit, MINUTE))) {
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
      assertThat(total).as("80 racing hits against a limit of 20").isEqualTo(limit);
    }
  }
}
