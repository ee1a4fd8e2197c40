package dev.handshake.delegation;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * A bounded {@link ReplayStore} in memory, for tests and single-process receivers that accept
 * losing their replay memory on restart (the durable default is {@code SqliteReplayStore}).
 *
 * <p>Expired pairs are purged in expiry order before each check; when {@code maxEntries}
 * unexpired pairs remain, new packets are refused ({@link Outcome#FULL}) rather than evicting a
 * pair that could still be replayed.
 */
public final class InMemoryReplayStore implements ReplayStore {
  public static final int DEFAULT_MAX_ENTRIES = 1_000_000;

  private record Key(String signer, String nonce) {}

  private record Expiry(Key key, long untilMillis) {}

  private final int maxEntries;
  private final Map<Key, Long> until = new HashMap<>();
  private final PriorityQueue<Expiry> byExpiry =
      new PriorityQueue<>((a, b) -> Long.compare(a.untilMillis(), b.untilMillis()));

  public InMemoryReplayStore(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1");
    }
    this.maxEntries = maxEntries;
  }

  public InMemoryReplayStore() {
    this(DEFAULT_MAX_ENTRIES);
  }

  @Override
  public synchronized Outcome checkAndRecord(
      String signer, String nonce, Instant retainUntil, Instant now) {
    long nowMillis = now.toEpochMilli();
    purge(nowMillis);
    Key key = new Key(signer, nonce);
    Long existing = until.get(key);
    if (existing != null && existing > nowMillis) {
      return Outcome.REPLAY;
    }
    if (until.size() >= maxEntries) {
      return Outcome.FULL;
    }
    long keep = retainUntil.toEpochMilli();
    until.put(key, keep);
    byExpiry.add(new Expiry(key, keep));
    return Outcome.FIRST;
  }

  private void purge(long nowMillis) {
    Expiry head;
    while ((head = byExpiry.peek()) != null && head.untilMillis() <= nowMillis) {
      byExpiry.poll();
      Long current = until.get(head.key());
      if (current != null && current == head.untilMillis()) {
        until.remove(head.key());
      }
    }
  }

  @Override
  public synchronized long size(Instant now) {
    purge(now.toEpochMilli());
    return until.size();
  }

  @Override
  public void close() {}
}
