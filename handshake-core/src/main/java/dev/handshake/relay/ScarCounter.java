package dev.handshake.relay;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code scar_exchanges} per src with the reference cap (keep.md §2.4 step 6): known keys keep
 * counting, new keys beyond the cap are ignored.
 */
final class ScarCounter {
  private final int maxKeys;
  private final ConcurrentHashMap<String, AtomicLong> counts = new ConcurrentHashMap<>();

  ScarCounter(int maxKeys) {
    this.maxKeys = maxKeys;
  }

  void count(String src) {
    AtomicLong existing = counts.get(src);
    if (existing != null) {
      existing.incrementAndGet();
      return;
    }
    synchronized (this) {
      AtomicLong c = counts.get(src);
      if (c == null) {
        if (counts.size() >= maxKeys) {
          return;
        }
        c = new AtomicLong();
        counts.put(src, c);
      }
      c.incrementAndGet();
    }
  }

  Map<String, Long> snapshot() {
    Map<String, Long> out = new HashMap<>();
    counts.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }
}
