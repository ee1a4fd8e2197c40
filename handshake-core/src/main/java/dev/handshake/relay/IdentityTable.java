package dev.handshake.relay;

import dev.handshake.crypto.Ed25519PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The routing table {@code src → connection} (keep.md §2.6) with the key that registered each
 * name. Updates are atomic per name; no socket I/O ever happens inside it — an evicted
 * connection is handed back to the caller to close.
 *
 * <p>With a {@link RelayRouter}, a name this node does not hold yet is first claimed in the shared
 * directory (one round trip, outside any lock), so that the identity rules hold across nodes; a
 * name the node already holds is registered without asking anyone, and the last local holder's
 * departure releases the claim.
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

    /** The shared directory could not be reached, so the name could not be claimed. */
    record Unavailable() implements Registration {}
  }

  private final ConcurrentHashMap<String, Holder> agents = new ConcurrentHashMap<>();
  private final IdentityMode mode;
  private final PinStore pins;
  private final int maxNamesPerConnection;
  private final @Nullable RelayRouter router;

  IdentityTable(
      IdentityMode mode, PinStore pins, int maxNamesPerConnection, @Nullable RelayRouter router) {
    this.mode = mode;
    this.pins = pins;
    this.maxNamesPerConnection = maxNamesPerConnection;
    this.router = router;
  }

  Registration register(String src, RelayConnection connection, Ed25519PublicKey key) {
    if (!connection.holdsOrHasRoomFor(src, maxNamesPerConnection)) {
      return new Registration.TooMany();
    }
    if (mode == IdentityMode.PINNED && !pins.pinIfAbsent(src, key).equals(key)) {
      return new Registration.Conflict();
    }
    if (router != null) {
      Registration refused = claim(router, src, key);
      if (refused != null) {
        return refused;
      }
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

  /**
   * Claims {@code src} in the shared directory unless this node already holds it under {@code
   * key} (the common case: no round trip); returns the refusal, or null to go on.
   */
  private @Nullable Registration claim(RelayRouter router, String src, Ed25519PublicKey key) {
    Holder current = agents.get(src);
    if (current != null && !current.connection().isClosed() && current.key().equals(key)) {
      return null;
    }
    if (current != null && !current.connection().isClosed() && mode != IdentityMode.LEGACY) {
      return new Registration.Conflict(); // held here under another key: no need to ask
    }
    return switch (router.claim(src, key, mode == IdentityMode.LEGACY)) {
      case HELD -> null;
      case CONFLICT -> new Registration.Conflict();
      case UNAVAILABLE -> new Registration.Unavailable();
    };
  }

  @Nullable Holder lookup(String dst) {
    return agents.get(dst);
  }

  /**
   * Removes {@code src} if {@code connection} still holds it, and releases this node's claim on it
   * in the shared directory.
   */
  boolean unregister(String src, RelayConnection connection) {
    boolean removed = drop(src, connection);
    // A local connection registering the same name right now may see its fresh claim released
    // here; the next renewal re-claims it, since held() still names it.
    if (removed && router != null) {
      router.release(src);
    }
    return removed;
  }

  /** Removes {@code src} if {@code connection} still holds it; the directory is not told. */
  boolean drop(String src, RelayConnection connection) {
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

  /** The names held by live connections and their keys, for renewing claims. */
  Map<String, Ed25519PublicKey> held() {
    Map<String, Ed25519PublicKey> out = new HashMap<>();
    agents.forEach(
        (name, holder) -> {
          if (!holder.connection().isClosed()) {
            out.put(name, holder.key());
          }
        });
    return out;
  }

  /** A snapshot for heartbeats: taken without holding anything while sending. */
  List<Map.Entry<String, RelayConnection>> snapshot() {
    List<Map.Entry<String, RelayConnection>> out = new ArrayList<>(agents.size());
    agents.forEach((name, holder) -> out.add(Map.entry(name, holder.connection())));
    return out;
  }
}
