package dev.handshake.servlet;

import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionEngine;
import dev.handshake.session.WsConnection;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browser's live channel {@code {ws_prefix}/<sid>} (hpp.md §2.5), bridged to the engine's
 * {@link WsConnection}: text messages in, pushes out through a {@link SocketPeer}, a heartbeat
 * after each {@code heartbeatInterval} of inbound silence. One instance per socket.
 */
final class HandshakeEndpoint extends Endpoint {
  private static final Logger LOG = LoggerFactory.getLogger(HandshakeEndpoint.class);

  private final SessionEngine engine;
  private final ScheduledExecutorService timer;
  private final Executor closer;
  private volatile @Nullable WsConnection connection;
  private volatile @Nullable SocketPeer peer;
  private volatile @Nullable IdleWatch idle;

  HandshakeEndpoint(SessionEngine engine, ScheduledExecutorService timer, Executor closer) {
    this.engine = engine;
    this.timer = timer;
    this.closer = closer;
  }

  @Override
  public void onOpen(Session session, EndpointConfig endpointConfig) {
    SessionConfig config = engine.config();
    Map<String, Object> props = endpointConfig.getUserProperties();
    if (!(props.get(SocketConfigurator.SID) instanceof String sid)
        || !(props.get(SocketConfigurator.REQUEST) instanceof RequestSnapshot request)) {
      LOG.error("WebSocket opened without a handshake from HandshakeServletInstaller");
      closer.execute(() -> closeQuietly(session));
      return;
    }
    session.setMaxIdleTimeout(0); // idleness means a heartbeat, never a close
    SocketPeer p = new SocketPeer(session, config.wsMaxPendingBytes(), closer);
    IdleWatch w = new IdleWatch(timer, config.heartbeatInterval(), this::idle);
    peer = p;
    idle = w;
    session.addMessageHandler(String.class, new TextAssembler(config.maxBodyBytes(), w, p));
    // binary frames mean nothing to HPP but are inbound traffic all the same
    MessageHandler.Partial<ByteBuffer> binary = (bytes, last) -> w.activity();
    session.addMessageHandler(ByteBuffer.class, binary);
    WsConnection c = engine.connect(sid, request, p);
    connection = c;
    p.release(); // only now may "connected" leave: the socket is subscribed to the session
    if (c.joined()) {
      w.start();
    }
  }

  private void idle() {
    WsConnection c = connection;
    if (c != null) {
      c.onIdle();
    }
  }

  @Override
  public void onClose(Session session, CloseReason closeReason) {
    IdleWatch w = idle;
    if (w != null) {
      w.stop();
    }
    SocketPeer p = peer;
    if (p != null) {
      p.closed();
    }
    WsConnection c = connection;
    if (c != null) {
      c.onClose();
    }
  }

  @Override
  public void onError(Session session, @Nullable Throwable failure) {
    LOG.debug("WebSocket failed", failure); // the container closes it and calls onClose
  }

  private static void closeQuietly(Session session) {
    try {
      session.close(new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, ""));
    } catch (java.io.IOException | RuntimeException e) {
      LOG.debug("WebSocket close failed", e);
    }
  }

  /**
   * Joins the parts of a text message, holding at most {@code maxChars} characters (the HTTP body
   * limit); a longer message closes the socket with 1009, as RFC 6455 §7.4.1 prescribes.
   */
  private final class TextAssembler implements MessageHandler.Partial<String> {
    private final int maxChars;
    private final IdleWatch idle;
    private final SocketPeer peer;
    private final StringBuilder parts = new StringBuilder();
    private boolean discarding;

    TextAssembler(int maxChars, IdleWatch idle, SocketPeer peer) {
      this.maxChars = maxChars;
      this.idle = idle;
      this.peer = peer;
    }

    @Override
    public void onMessage(String part, boolean last) {
      idle.activity();
      if (discarding) {
        return;
      }
      if ((long) parts.length() + part.length() > maxChars) {
        discarding = true;
        parts.setLength(0);
        parts.trimToSize();
        peer.close(CloseReason.CloseCodes.TOO_BIG.getCode());
        return;
      }
      String message = part;
      if (!last || parts.length() > 0) {
        parts.append(part);
        if (!last) {
          return;
        }
        message = parts.toString();
        parts.setLength(0);
      }
      WsConnection c = connection;
      if (c != null) {
        c.onText(message);
      }
    }
  }
}
