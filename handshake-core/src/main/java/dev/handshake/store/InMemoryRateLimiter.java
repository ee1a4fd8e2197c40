package dev.handshake.store;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link RateLimiter} for one process: a timestamp log per key. */
public final class InMemoryRateLimiter implements RateLimiter {
  private final Clock clock;
  private final ConcurrentHashMap<String, Log> logs = new ConcurrentHashMap<>();

  public InMemoryRateLimiter(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Decision tryAcquire(String key, int limit, Duration window) {
    long now = clock.millis();
    Log log = logs.computeIfAbsent(key, k -> new Log(window.toMillis()));
    synchronized (log) {
      log.trim(now);
      if (log.hits.size() >= limit) {
        return log.limited(now);
      }
      log.hits.addLast(now);
      return Decision.ALLOWED;
    }
  }

  @Override
  public Decision peek(String key, int limit, Duration window) {
    Log log = logs.get(key);
    if (log == null) {
      return Decision.ALLOWED;
    }
    long now = clock.millis();
    synchronized (log) {
      log.trim(now);
      return log.hits.size() >= limit ? log.limited(now) : Decision.ALLOWED;
    }
  }

  @Override
  public void record(String key, Duration window) {
    long now = clock.millis();
    Log log = logs.computeIfAbsent(key, k -> new Log(window.toMillis()));
    synchronized (log) {
      log.trim(now);
      log.hits.addLast(now);
    }
  }

  @Override
  public void sweep() {
    long now = clock.millis();
    logs.entrySet()
        .removeIf(
            e -> {
              Log log = e.getValue();
              synchronized (log) {
                log.trim(now);
                return log.hits.isEmpty();
              }
            });
  }

  /** Number of keys currently tracked; for tests and metrics. */
  public int trackedKeys() {
    return logs.size();
  }

  private static final class Log {
    final long windowMillis;
    final ArrayDeque<Long> hits = new ArrayDeque<>();

    Log(long windowMillis) {
      this.windowMillis = windowMillis;
    }

    void trim(long now) {
      while (!hits.isEmpty() && hits.peekFirst() <= now - windowMillis) {
        hits.pollFirst();
      }
    }

    Decision limited(long now) {
      long oldest = hits.isEmpty() ? now : hits.peekFirst();
      return new Decision.Limited(Duration.ofMillis(Math.max(0, oldest + windowMillis - now)));
    }
  }
}
