package dev.handshake.session;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Where sessions live (DESIGN.md rule 3). Implementations give {@link #update} exclusive access
 * to one session, so concurrent actions, notifies and user edits on a session are serialised.
 * No transport types appear here: WebSocket delivery goes through {@link SessionEventBus}.
 */
public interface SessionStore {

  /** Stores a new session; returns false (storing nothing) when {@code maxLive > 0} are live. */
  boolean insert(SessionState session, int maxLive);

  /**
   * Runs {@code change} with exclusive access to the session and keeps what it did. Empty when
   * there is no such session.
   */
  <R> Optional<R> update(String sessionId, Function<SessionState, R> change);

  /** Removes a session; true when it existed. */
  boolean remove(String sessionId);

  /** Removes every session for which {@code expired} holds and returns their ids. */
  List<String> removeIf(Predicate<SessionState> expired);

  /** Number of stored sessions. */
  int size();

  /**
   * Whether calls go over the network (Redis): transports then run them off their I/O threads,
   * since a call may wait up to the store's timeout.
   */
  default boolean remote() {
    return false;
  }
}
