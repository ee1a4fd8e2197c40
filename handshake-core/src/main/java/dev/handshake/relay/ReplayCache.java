package dev.handshake.relay;

import dev.handshake.crypto.Sha256;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The bounded replay cache of keep.md §3 item 2: {@code (pk, SHA-256(canonical fields 3–10))}
 * seen within the window. Oldest entries are evicted first, by age and by capacity.
 */
final class ReplayCache {
  /** The SHA-256 of {@code pk ‖ signed payload}, as four longs. */
  record Key(long a, long b, long c, long d) {
    /** The digest in unpadded base64url (43 characters), for a shared replay store. */
    String text() {
      byte[] bytes =
          ByteBuffer.allocate(32).putLong(a).putLong(b).putLong(c).putLong(d).array();
      return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
  }

  private record Entry(Key key, long expiresAt) {}

  private final long windowMillis;
  private final int capacity;
  private final ConcurrentHashMap<Key, Long> seen = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Entry> order = new ConcurrentLinkedQueue<>();

  ReplayCache(long windowMillis, int capacity) {
    this.windowMillis = windowMillis;
    this.capacity = capacity;
  }

  /**
   * True the first time {@code key} ({@link #digest} of pk and payload) is seen within the window,
   * false for a replay.
   */
  boolean firstSeen(Key key, long nowMillis) {
    evictExpired(nowMillis);
    long expiresAt = nowMillis + windowMillis;
    Long previous = seen.putIfAbsent(key, expiresAt);
    if (previous != null) {
      if (previous > nowMillis || !seen.replace(key, previous, expiresAt)) {
        return false;
      }
    }
    order.add(new Entry(key, expiresAt));
    while (seen.size() > capacity) {
      Entry oldest = order.poll();
      if (oldest == null) {
        break;
      }
      seen.remove(oldest.key, oldest.expiresAt);
    }
    return true;
  }

  int size() {
    return seen.size();
  }

  private void evictExpired(long nowMillis) {
    for (Entry head = order.peek(); head != null && head.expiresAt <= nowMillis; head = order.peek()) {
      if (order.remove(head)) {
        seen.remove(head.key, head.expiresAt);
      }
    }
  }

  static Key digest(byte[] pk, byte[] payload) {
    MessageDigest sha = Sha256.newDigest();
    sha.update(pk);
    ByteBuffer d = ByteBuffer.wrap(sha.digest(payload));
    return new Key(d.getLong(), d.getLong(), d.getLong(), d.getLong());
  }
}
