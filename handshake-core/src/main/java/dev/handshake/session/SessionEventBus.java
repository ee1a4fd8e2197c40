package dev.handshake.session;

/**
 * Delivers session events to the sockets subscribed to a session, on this node and (in shared
 * deployments) on others. Implementations must not block the publisher on a slow subscriber.
 */
public interface SessionEventBus {

  /** Publishes an event; returns how many local subscribers received it. */
  int publish(String sessionId, SessionEvent event);

  /** Subscribes to a session's events until the returned handle is closed. */
  Subscription subscribe(String sessionId, Listener listener);

  /** Receives events; called on the publisher's thread, so it must only enqueue. */
  @FunctionalInterface
  interface Listener {
    void onEvent(SessionEvent event);
  }

  /** Ends a subscription. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
