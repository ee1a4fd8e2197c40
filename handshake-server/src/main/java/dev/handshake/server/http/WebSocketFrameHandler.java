package dev.handshake.server.http;

import dev.handshake.session.WsConnection;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.timeout.IdleStateEvent;
import org.jspecify.annotations.Nullable;

/**
 * Bridges one upgraded socket and its {@link WsConnection}: text frames in, pushes out, heartbeat
 * on reader idleness. A peer that stops reading is dropped once its outbound buffer passes the
 * high-water mark, so a slow browser never holds up the agent (hpp.md §3, issue §3).
 */
final class WebSocketFrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private final WebSocketServerHandshaker handshaker;
  private volatile @Nullable WsConnection connection;

  WebSocketFrameHandler(WebSocketServerHandshaker handshaker) {
    this.handshaker = handshaker;
  }

  void attach(WsConnection c) {
    connection = c;
  }

  WsConnection.Peer peer(Channel ch) {
    return new WsConnection.Peer() {
      @Override
      public void send(String text) {
        if (!ch.isActive()) {
          return;
        }
        if (!ch.isWritable()) {
          ch.close(); // slow consumer: drop it rather than queue without bound
          return;
        }
        ch.writeAndFlush(new TextWebSocketFrame(text));
      }

      @Override
      public void close(int code) {
        if (ch.isActive()) {
          ch.writeAndFlush(new CloseWebSocketFrame(code, null))
              .addListener(ChannelFutureListener.CLOSE);
        }
      }
    };
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    WsConnection c = connection;
    switch (frame) {
      case TextWebSocketFrame t -> {
        if (c != null) {
          c.onText(t.text());
        }
      }
      case CloseWebSocketFrame close ->
          handshaker.close(ctx.channel(), (CloseWebSocketFrame) close.retain());
      case PingWebSocketFrame ping ->
          ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
      default -> {}
    }
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
    WsConnection c = connection;
    if (c != null) {
      c.onClose();
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
