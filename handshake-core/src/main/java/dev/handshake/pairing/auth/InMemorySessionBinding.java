package dev.handshake.pairing.auth;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link SessionBinding} in memory, bounded: sessions live in memory too, and are unbound when
 * they end.
 */
public final class InMemorySessionBinding implements SessionBinding {
  public static final int DEFAULT_MAX_SESSIONS = 100_000;
  private final ConcurrentHashMap<String, Principal> bound = new ConcurrentHashMap<>();
  private final int maxSessions;

  public InMemorySessionBinding(int maxSessions) {
    if (maxSessions < 1) {
      throw new IllegalArgumentException("maxSessions must be at least 1");
    }
    this.maxSessions = maxSessions;
  }

  @Override
  public boolean bind(String sessionId, Principal principal) {
    if (bound.size() >= maxSessions && !bound.containsKey(sessionId)) {
      throw new IllegalStateException("session binding is full (" + maxSessions + " sessions)");
    }
    return bound.putIfAbsent(sessionId, principal) == null;
  }

  @Override
  public Optional<Principal> lookup(String sessionId) {
    return Optional.ofNullable(bound.get(sessionId));
  }

  @Override
  public boolean unbind(String sessionId) {
    return bound.remove(sessionId) != null;
  }
}
