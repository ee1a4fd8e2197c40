package dev.handshake.store;

import java.time.Duration;

/**
 * A sliding-log rate limiter keyed by string. A hit is recorded only when it is allowed, so a
 * refused request never uses up quota (hpp.md §2.4).
 */
public interface RateLimiter {

  /** Records a hit for {@code key} if fewer than {@code limit} hits fall inside {@code window}. */
  Decision tryAcquire(String key, int limit, Duration window);

  /** Whether {@code key} is at or over {@code limit} in {@code window}, without recording a hit. */
  Decision peek(String key, int limit, Duration window);

  /** Records a hit for {@code key} unconditionally (used to count failures). */
  void record(String key, Duration window);

  /** Drops every log whose hits have all left their window. */
  void sweep();

  /** The outcome of a rate-limit check. */
  sealed interface Decision {
    record Allowed() implements Decision {}

    /** Refused; {@code retryAfter} is when the oldest hit leaves the window. */
    record Limited(Duration retryAfter) implements Decision {
      /** Whole seconds for a {@code Retry-After} header, at least 1. */
      public long retryAfterSeconds() {
        long millis = retryAfter.toMillis();
        return Math.max(1, (millis + 999) / 1000);
      }
    }

    Decision ALLOWED = new Allowed();
  }
}
