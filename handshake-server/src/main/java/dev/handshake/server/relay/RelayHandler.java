package dev.handshake.server.relay;

import dev.handshake.relay.FrameOutcome;
import dev.handshake.relay.RelayConnection;
import dev.handshake.relay.RelayEngine;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each frame payload to the engine in arrival order and closes the connection when the
 * engine says so (parse errors) or refuses it (connection limits).
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(RelayHandler.class);

  private final RelayEngine engine;
  private final RelayListener listener;
  private @Nullable RelayConnection connection;
  private @Nullable NettyRelayPeer peer;

  RelayHandler(RelayEngine engine, RelayListener listener) {
    this.engine = engine;
    this.listener = listener;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    NettyRelayPeer p =
        new NettyRelayPeer(
            ctx.channel(), engine.config().outboundQueueFrames(), engine.config().outboundQueueBytes());
    Optional<RelayConnection> opened = engine.open(p);
    if (opened.isEmpty()) {
      ctx.close();
      return;
    }
    peer = p;
    connection = opened.get();
    listener.track(p);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    RelayConnection c = connection;
    if (c == null || !(msg instanceof byte[] payload)) {
      return;
    }
    if (c.receive(payload) == FrameOutcome.CLOSE) {
      log.debug("Read error from {}: unmarshal failed; closing", c.peer().remoteAddress());
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (connection != null) {
      connection.closed();
    }
    if (peer != null) {
      listener.untrack(peer);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      log.debug("Read error from {}: {}", ctx.channel().remoteAddress(), cause.toString());
    } else {
      log.warn("Relay connection {} failed; closing", ctx.channel().remoteAddress(), cause);
    }
    ctx.close();
  }
}
