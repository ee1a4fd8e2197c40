package dev.handshake.delegation;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Counts the tool calls made under each (packet, capability) so the limit is enforced by the
 * executor, never taken from the caller (trusthandoff.md §3 item 11). In memory and bounded:
 * entries are kept until their capability's expiry, and when {@code maxEntries} live entries exist
 * new keys are refused rather than forgetting a count that still limits something.
 */
public final class ToolCallCounter {
  public static final int DEFAULT_MAX_ENTRIES = 100_000;

  private record Count(long used, Instant until) {}

  private final int maxEntries;
  private final Map<String, Count> counts = new HashMap<>();

  public ToolCallCounter(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1");
    }
    this.maxEntries = maxEntries;
  }

  public ToolCallCounter() {
    this(DEFAULT_MAX_ENTRIES);
  }

  /**
   * Atomically takes one call under {@code key} if fewer than {@code limit} were taken (no limit:
   * always, still counted). False when the limit is reached or the counter is full.
   */
  public synchronized boolean tryTake(String key, Optional<Long> limit, Instant until, Instant now) {
    Count c = counts.get(key);
    if (c != null && !c.until().isAfter(now)) {
      counts.remove(key);
      c = null;
    }
    if (c == null && counts.size() >= maxEntries) {
      counts.values().removeIf(x -> !x.until().isAfter(now));
      if (counts.size() >= maxEntries) {
        return false;
      }
    }
    long used = c == null ? 0 : c.used();
    if (limit.isPresent() && used >= limit.get()) {
      return false;
    }
    counts.put(key, new Count(used + 1, until));
    return true;
  }

  /** Calls taken under {@code key} so far (0 when unknown or expired). */
  public synchronized long used(String key, Instant now) {
    Count c = counts.get(key);
    return c == null || !c.until().isAfter(now) ? 0 : c.used();
  }
}
