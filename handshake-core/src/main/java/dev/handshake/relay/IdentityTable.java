package dev.handshake.relay;

import dev.handshake.crypto.Ed25519PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The routing table {@code src → connection} (keep.md §2.6) with the key that registered each
 * name. Updates are atomic per name; no socket I/O ever happens inside it — an evicted
 * connection is handed back to the caller to close.
 */
final class IdentityTable {
  record Holder(RelayConnection connection, Ed25519PublicKey key) {}

  /** The outcome of {@link #register}. */
  sealed interface Registration {
    record Registered(@Nullable RelayConnection evicted) implements Registration {}

    /** Another key holds the name (bound-live, pinned). */
    record Conflict() implements Registration {}

    /** The connection already holds {@code maxNamesPerConnection} names. */
    record TooMany() implements Registration {}
  }

  private final ConcurrentHashMap<String, Holder> agents = new ConcurrentHashMap<>();
  private final IdentityMode mode;
  private final PinStore pins;
  private final int maxNamesPerConnection;

  IdentityTable(IdentityMode mode, PinStore pins, int maxNamesPerConnection) {
    this.mode = mode;
    this.pins = pins;
    this.maxNamesPerConnection = maxNamesPerConnection;
  }

  Registration register(String src, RelayConnection connection, Ed25519PublicKey key) {
    if (!connection.holdsOrHasRoomFor(src, maxNamesPerConnection)) {
      return new Registration.TooMany();
    }
    if (mode == IdentityMode.PINNED && !pins.pinIfAbsent(src, key).equals(key)) {
      return new Registration.Conflict();
    }
    RelayConnection[] evicted = new RelayConnection[1];
    boolean[] conflict = new boolean[1];
    agents.compute(
        src,
        (name, current) -> {
          if (current == null || current.connection().isClosed()) {
            return new Holder(connection, key);
          }
          boolean sameKey = current.key().equals(key);
          if (mode != IdentityMode.LEGACY && !sameKey) {
            conflict[0] = true;
            return current;
          }
          if (current.connection() != connection) {
            evicted[0] = current.connection();
          }
          return sameKey && current.connection() == connection ? current : new Holder(connection, key);
        });
    if (conflict[0]) {
      return new Registration.Conflict();
    }
    connection.addName(src);
    if (evicted[0] != null) {
      evicted[0].removeName(src);
    }
    return new Registration.Registered(evicted[0]);
  }

  @Nullable Holder lookup(String dst) {
    return agents.get(dst);
  }

  /** Removes {@code src} if {@code connection} still holds it. */
  boolean unregister(String src, RelayConnection connection) {
    boolean[] removed = new boolean[1];
    agents.computeIfPresent(
        src,
        (name, current) -> {
          if (current.connection() == connection) {
            removed[0] = true;
            return null;
          }
          return current;
        });
    if (removed[0]) {
      connection.removeName(src);
    }
    return removed[0];
  }

  int size() {
    return agents.size();
  }

  List<String> names() {
    return new ArrayList<>(agents.keySet());
  }

  /** A snapshot for heartbeats: taken without holding anything while sending. */
  List<Map.Entry<String, RelayConnection>> snapshot() {
    List<Map.Entry<String, RelayConnection>> out = new ArrayList<>(agents.size());
    agents.forEach((name, holder) -> out.add(Map.entry(name, holder.connection())));
    return out;
  }
}
