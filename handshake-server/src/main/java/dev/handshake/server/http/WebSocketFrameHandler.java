package dev.handshake.server.http;

import dev.handshake.session.WsConnection;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bridges one upgraded socket and its {@link WsConnection}: text frames in, pushes out, heartbeat
 * on reader idleness. A peer that stops reading is dropped once its outbound buffer passes the
 * high-water mark, so a slow browser never holds up the agent (hpp.md §3, issue §3).
 *
 * <p>With a remote session store (Redis, {@link dev.handshake.session.SessionEngine#storeIsRemote})
 * joining the session, each text frame and the final close call the store, which may wait up to
 * its timeout. They then run on the virtual threads of the HTTP path ({@link
 * HttpRequestHandler#BLOCKING}), one at a time and in arrival order per socket, and reading from
 * the socket pauses while any is pending, as an HTTP request does; every write goes back through
 * the channel's event loop. With an in-process store everything runs on the event loop as before.
 */
final class WebSocketFrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketFrameHandler.class);

  private final WebSocketServerHandshaker handshaker;
  private final boolean offLoop;
  private volatile @Nullable WsConnection connection;
  // the socket's pending store work, oldest first; both touched only on the event loop
  private CompletableFuture<@Nullable Void> lane = CompletableFuture.completedFuture(null);
  private int pending;

  /**
   * @param offLoop whether calls into the session engine may block (a remote store), and so run
   *     off the event loop
   */
  WebSocketFrameHandler(WebSocketServerHandshaker handshaker, boolean offLoop) {
    this.handshaker = handshaker;
    this.offLoop = offLoop;
  }

  /**
   * Joins the socket's session with {@code connect} (the engine's {@code connect}); called on the
   * event loop once this handler is in the pipeline. Frames that arrive meanwhile wait behind it.
   */
  void open(Channel ch, Supplier<WsConnection> connect) {
    inOrder(ch, () -> connection = connect.get());
  }

  WsConnection.Peer peer(Channel ch) {
    return new WsConnection.Peer() {
      @Override
      public void send(String text) {
        onLoop(ch, () -> {
          if (!ch.isActive()) {
            return;
          }
          if (!ch.isWritable()) {
            ch.close(); // slow consumer: drop it rather than queue without bound
            return;
          }
          ch.writeAndFlush(new TextWebSocketFrame(text));
        });
      }

      @Override
      public void close(int code) {
        onLoop(ch, () -> {
          if (ch.isActive()) {
            ch.writeAndFlush(new CloseWebSocketFrame(code, null))
                .addListener(ChannelFutureListener.CLOSE);
          }
        });
      }
    };
  }

  /** Runs {@code write} on the channel's event loop, in the order its callers asked. */
  private static void onLoop(Channel ch, Runnable write) {
    EventLoop loop = ch.eventLoop();
    if (loop.inEventLoop()) {
      write.run();
      return;
    }
    try {
      loop.execute(write);
    } catch (RejectedExecutionException e) {
      // the server is shutting down and the socket with it
    }
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    switch (frame) {
      case TextWebSocketFrame t -> {
        String text = t.text();
        inOrder(ctx.channel(), () -> {
          WsConnection c = connection;
          if (c != null) {
            c.onText(text);
          }
        });
      }
      case CloseWebSocketFrame close ->
          handshaker.close(ctx.channel(), (CloseWebSocketFrame) close.retain());
      case PingWebSocketFrame ping ->
          ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
      default -> {}
    }
  }

  /**
   * Runs {@code work} now, or, off the event loop, after the socket's earlier work: one socket's
   * calls never overlap or overtake each other. Reads pause while any is pending, so at most what
   * one read decoded waits here.
   */
  private void inOrder(Channel ch, Runnable work) {
    if (!offLoop) {
      work.run();
      return;
    }
    if (pending++ == 0) {
      ch.config().setAutoRead(false);
    }
    CompletableFuture<@Nullable Void> done = lane.thenRunAsync(work, HttpRequestHandler.BLOCKING);
    lane = done.handle((ok, failure) -> null);
    done.whenComplete((ok, failure) -> {
      if (failure != null) {
        // store outages are answered inside WsConnection; anything else is our bug
        LOG.error("WebSocket message handling failed", failure);
        ch.close();
      }
      onLoop(ch, () -> {
        if (--pending == 0) {
          ch.config().setAutoRead(true);
        }
      });
    });
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      WsConnection c = connection;
      if (c != null) {
        c.onIdle();
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    // behind a pending join, so that the subscription it makes is closed too
    inOrder(ctx.channel(), () -> {
      WsConnection c = connection;
      if (c != null) {
        c.onClose();
      }
    });
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
