package dev.handshake.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/** A {@link SessionStore} for one process: a concurrent map and a monitor per session. */
public final class InMemorySessionStore implements SessionStore {
  private final ConcurrentHashMap<String, SessionState> sessions = new ConcurrentHashMap<>();
  private final AtomicInteger live = new AtomicInteger();

  @Override
  public boolean insert(SessionState session, int maxLive) {
    while (true) {
      int n = live.get();
      if (maxLive > 0 && n >= maxLive) {
        return false;
      }
      if (live.compareAndSet(n, n + 1)) {
        break;
      }
    }
    if (sessions.putIfAbsent(session.id(), session) != null) {
      live.decrementAndGet();
      throw new IllegalStateException("session id collision");
    }
    return true;
  }

  @Override
  public <R> Optional<R> update(String sessionId, Function<SessionState, R> change) {
    SessionState s = sessions.get(sessionId);
    if (s == null) {
      return Optional.empty();
    }
    synchronized (s) {
      if (sessions.get(sessionId) != s) {
        return Optional.empty();
      }
      return Optional.ofNullable(change.apply(s));
    }
  }

  @Override
  public boolean remove(String sessionId) {
    SessionState s = sessions.remove(sessionId);
    if (s != null) {
      live.decrementAndGet();
      return true;
    }
    return false;
  }

  @Override
  public List<String> removeIf(Predicate<SessionState> expired) {
    List<String> removed = new ArrayList<>();
    for (SessionState s : sessions.values()) {
      boolean gone;
      synchronized (s) {
        gone = expired.test(s);
      }
      if (gone && sessions.remove(s.id(), s)) {
        live.decrementAndGet();
        removed.add(s.id());
      }
    }
    return removed;
  }

  @Override
  public int size() {
    return live.get();
  }
}
