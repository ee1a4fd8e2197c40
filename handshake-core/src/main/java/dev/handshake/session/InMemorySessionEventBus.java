package dev.handshake.session;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link SessionEventBus} for one process. */
public final class InMemorySessionEventBus implements SessionEventBus {
  private final ConcurrentHashMap<String, CopyOnWriteArrayList<Listener>> listeners =
      new ConcurrentHashMap<>();

  @Override
  public int publish(String sessionId, SessionEvent event) {
    CopyOnWriteArrayList<Listener> list = listeners.get(sessionId);
    if (list == null) {
      return 0;
    }
    int n = 0;
    for (Listener l : list) {
      l.onEvent(event);
      n++;
    }
    return n;
  }

  @Override
  public Subscription subscribe(String sessionId, Listener listener) {
    listeners.computeIfAbsent(sessionId, k -> new CopyOnWriteArrayList<>()).add(listener);
    return () ->
        listeners.computeIfPresent(
            sessionId,
            (k, list) -> {
              list.remove(listener);
              return list.isEmpty() ? null : list;
            });
  }

  /** Number of sessions with at least one subscriber; for tests and metrics. */
  public int subscribedSessions() {
    return listeners.size();
  }
}
