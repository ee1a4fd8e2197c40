package dev.handshake.delegation.http;

import dev.handshake.delegation.ReplayStore;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The replay memory of {@code profile=reference} requests: at most {@code maxEntries} pairs, the
 * oldest forgotten first, like the reference's {@code ReplayGuard} (trusthandoff.md §2.6). The
 * reference profile keeps nonces "for ever"; in a long-running server that would fill any bounded
 * store and then refuse every reference request, so here the oldest sightings make room instead. It
 * is kept apart from the default profile's store, so reference traffic can never crowd out the
 * replay protection of our own pipeline.
 */
final class EvictingReplayStore implements ReplayStore {
  private record Key(String signer, String nonce) {}

  private final Map<Key, Long> until;

  EvictingReplayStore(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1");
    }
    this.until =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Key, Long> eldest) {
            return size() > maxEntries;
          }
        };
  }

  @Override
  public synchronized Outcome checkAndRecord(
      String signer, String nonce, Instant retainUntil, Instant now) {
    Key key = new Key(signer, nonce);
    Long existing = until.get(key);
    if (existing != null && existing > now.toEpochMilli()) {
      return Outcome.REPLAY;
    }
    until.remove(key); // re-inserted as the newest
    until.put(key, retainUntil.toEpochMilli());
    return Outcome.FIRST;
  }

  @Override
  public synchronized long size(Instant now) {
    long nowMillis = now.toEpochMilli();
    until.values().removeIf(u -> u <= nowMillis);
    return until.size();
  }

  @Override
  public void close() {}
}
