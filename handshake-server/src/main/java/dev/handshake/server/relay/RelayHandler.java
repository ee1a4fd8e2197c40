package dev.handshake.server.relay;

import dev.handshake.relay.FrameOutcome;
import dev.handshake.relay.InboundPacket;
import dev.handshake.relay.RelayConnection;
import dev.handshake.relay.RelayConnection.Decoded;
import dev.handshake.relay.RelayEngine;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each frame payload to the engine in arrival order and closes the connection when the
 * engine says so (parse errors) or refuses it (connection limits).
 *
 * <p>With a verifier pool, signatures of one connection's packets are checked in parallel on the
 * pool while dispatch (registration, replies, forwards) still happens on the event loop strictly
 * in arrival order (keep.md §3 item 13): packets wait in {@link #inOrder} until every packet
 * before them is dispatched. The queue is bounded: past {@code maxInFlight} the channel stops
 * reading until it drains.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(RelayHandler.class);

  private final RelayEngine engine;
  private final RelayListener listener;
  private final @Nullable Executor verifiers;
  private final int maxInFlight;
  private final ArrayDeque<Pending> inOrder = new ArrayDeque<>();
  private @Nullable RelayConnection connection;
  private @Nullable NettyRelayPeer peer;
  private @Nullable ChannelHandlerContext context;
  /** The socket is gone; release the connection once the packets it sent are dispatched. */
  private boolean inactive;

  /** A packet waiting for its verification; {@code packet == null} marks "close here". */
  private static final class Pending {
    final @Nullable InboundPacket packet;
    volatile boolean verified;

    Pending(@Nullable InboundPacket packet) {
      this.packet = packet;
      this.verified = packet == null;
    }
  }

  RelayHandler(RelayEngine engine, RelayListener listener, @Nullable Executor verifiers, int maxInFlight) {
    this.engine = engine;
    this.listener = listener;
    this.verifiers = verifiers;
    this.maxInFlight = maxInFlight;
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
    context = ctx;
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
    if (verifiers == null) {
      if (c.receive(payload) == FrameOutcome.CLOSE) {
        log.debug("Read error from {}: unmarshal failed; closing", c.peer().remoteAddress());
        ctx.close();
      }
      return;
    }
    switch (c.decode(payload)) {
      case Decoded.RateLimited r -> {}
      case Decoded.Malformed m -> {
        inOrder.add(new Pending(null));
        drain();
      }
      case Decoded.Parsed parsed -> {
        Pending pending = new Pending(parsed.packet());
        inOrder.add(pending);
        if (inOrder.size() >= maxInFlight) {
          ctx.channel().config().setAutoRead(false);
        }
        try {
          verifiers.execute(
              () -> {
                c.verify(parsed.packet());
                pending.verified = true;
                try {
                  ctx.executor().execute(this::drain);
                } catch (RejectedExecutionException shuttingDown) {
                  // The event loop is gone (shutdown); the connection is being closed anyway.
                }
              });
        } catch (RejectedExecutionException e) {
          c.verify(parsed.packet());
          pending.verified = true;
          drain();
        }
      }
    }
  }

  /** Dispatches, on the event loop, every verified packet at the head of the queue. */
  private void drain() {
    RelayConnection c = connection;
    ChannelHandlerContext ctx = context;
    if (c == null || ctx == null) {
      return;
    }
    for (Pending head = inOrder.peek(); head != null && head.verified; head = inOrder.peek()) {
      inOrder.poll();
      if (head.packet == null) {
        log.debug("Read error from {}: unmarshal failed; closing", c.peer().remoteAddress());
        inOrder.clear();
        ctx.close();
        if (inactive) {
          release();
        }
        return;
      }
      c.dispatch(head.packet);
    }
    if (inactive) {
      if (inOrder.isEmpty()) {
        release();
      }
      return;
    }
    if (inOrder.size() < maxInFlight / 2 && !ctx.channel().config().isAutoRead() && ctx.channel().isActive()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  /**
   * Frames that arrived before the peer closed are still dispatched (the reference processes a
   * connection's frames sequentially, so a sender may close right after a fire-and-forget
   * forward); the connection is released after the last of them.
   */
  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    inactive = true;
    if (inOrder.isEmpty()) {
      release();
    }
    ctx.fireChannelInactive();
  }

  private void release() {
    RelayConnection c = connection;
    connection = null;
    if (c != null) {
      c.closed();
    }
    if (peer != null) {
      listener.untrack(peer);
    }
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
