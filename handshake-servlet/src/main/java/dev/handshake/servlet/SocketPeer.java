package dev.handshake.servlet;

import dev.handshake.session.WsConnection;
import jakarta.websocket.CloseReason;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's view of one Jakarta WebSocket session: {@link #send} never blocks (hpp.md §2.5,
 * fan-out). Jakarta containers allow one asynchronous send in flight per session (Tomcat throws
 * otherwise), so messages wait in a queue bounded in bytes; a peer with more than {@code
 * maxPendingBytes} outstanding is dropped, so a slow browser never holds up the agent.
 *
 * <p>A peer starts <em>held</em>: messages queue until {@link #release()}, which the endpoint calls
 * once {@code SessionEngine.connect} has returned. The browser therefore cannot see {@code
 * connected} (and start the agent) before the socket receives the session's events.
 */
final class SocketPeer implements WsConnection.Peer {
  private static final Logger LOG = LoggerFactory.getLogger(SocketPeer.class);
  /** Close code for a peer that does not read fast enough (RFC 6455 §7.4.1: policy). */
  static final int SLOW_CONSUMER = 1008;

  private final Session session;
  private final long maxPendingBytes;
  private final Executor closer;
  private final Object lock = new Object();
  private final ArrayDeque<Outbound> queue = new ArrayDeque<>();
  // all guarded by lock
  private long pendingBytes;
  private boolean sending;
  private boolean held = true;
  private boolean insideSend;
  private @Nullable Outbound handoff;
  private boolean accepting = true;
  private @Nullable CloseReason closeWhenFlushed;

  /**
   * @param closer runs {@link Session#close} off the caller's thread: closing writes a frame and
   *     may wait for a send in flight, and the caller may be the engine
   */
  SocketPeer(Session session, long maxPendingBytes, Executor closer) {
    this.session = session;
    this.maxPendingBytes = maxPendingBytes;
    this.closer = closer;
  }

  private record Outbound(String text, long bytes) {}

  @Override
  public void send(String text) {
    Outbound m = new Outbound(text, utf8Length(text));
    synchronized (lock) {
      if (!accepting) {
        return;
      }
      boolean tooSlow = pendingBytes > 0 && pendingBytes + m.bytes() > maxPendingBytes;
      if (!tooSlow) {
        pendingBytes += m.bytes();
        if (sending || held) {
          queue.add(m);
          return;
        }
        sending = true;
      } else {
        LOG.info("dropping a WebSocket that stopped reading ({} bytes pending)", pendingBytes);
        stopAccepting();
        m = null;
      }
    }
    if (m != null) {
      transmit(m);
    } else {
      closeNow(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "slow consumer"));
    }
  }

  @Override
  public void close(int code) {
    CloseReason reason = new CloseReason(CloseReason.CloseCodes.getCloseCode(code), "");
    synchronized (lock) {
      if (!accepting) {
        return;
      }
      accepting = false;
      if (sending || held) {
        closeWhenFlushed = reason; // the engine's last words (e.g. "expired") go out first
        return;
      }
    }
    closeNow(reason);
  }

  /** Starts writing what was queued while held, then everything as it comes. */
  void release() {
    Outbound first;
    CloseReason close = null;
    synchronized (lock) {
      if (!held) {
        return;
      }
      held = false;
      first = queue.poll();
      if (first != null) {
        sending = true;
      } else {
        close = closeWhenFlushed;
        closeWhenFlushed = null;
      }
    }
    if (first != null) {
      transmit(first);
    } else if (close != null) {
      closeNow(close);
    }
  }

  /** The session closed: anything still queued is discarded. */
  void closed() {
    synchronized (lock) {
      stopAccepting();
    }
  }

  /**
   * Sends {@code first} and whatever the completions hand back. A container may complete a send
   * on the calling thread; the hand-off turns that into a loop instead of a recursion as deep as
   * the queue.
   */
  private void transmit(Outbound first) {
    Outbound m = first;
    while (m != null) {
      Outbound current = m;
      synchronized (lock) {
        insideSend = true;
      }
      try {
        session.getAsyncRemote().sendText(current.text(), result -> sent(current, result));
      } catch (RuntimeException e) { // IllegalStateException: the session closed meanwhile
        LOG.debug("WebSocket send failed", e);
        abandon();
        return;
      }
      synchronized (lock) {
        insideSend = false;
        m = handoff;
        handoff = null;
      }
    }
  }

  private void sent(Outbound m, SendResult result) {
    if (!result.isOK()) {
      LOG.debug("WebSocket send failed", result.getException());
      abandon();
      return;
    }
    Outbound next;
    CloseReason close = null;
    synchronized (lock) {
      pendingBytes -= m.bytes();
      next = queue.poll();
      if (next == null) {
        sending = false;
        close = closeWhenFlushed;
        closeWhenFlushed = null;
      } else if (insideSend) {
        handoff = next;
        return;
      }
    }
    if (next != null) {
      transmit(next);
    } else if (close != null) {
      closeNow(close);
    }
  }

  private void abandon() {
    synchronized (lock) {
      stopAccepting();
    }
    closeNow(new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "send failed"));
  }

  private void stopAccepting() {
    accepting = false;
    queue.clear();
    closeWhenFlushed = null;
  }

  private void closeNow(CloseReason reason) {
    closer.execute(
        () -> {
          try {
            if (session.isOpen()) {
              session.close(reason);
            }
          } catch (IOException | RuntimeException e) {
            LOG.debug("WebSocket close failed", e);
          }
        });
  }

  /** Bytes of {@code s} in UTF-8, without encoding it. */
  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
