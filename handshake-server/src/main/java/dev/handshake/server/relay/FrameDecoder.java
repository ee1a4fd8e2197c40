package dev.handshake.server.relay;

import dev.handshake.relay.KeepPackets;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the stream into {@code [uint32 big-endian N][N bytes]} frames (keep.md §2.3) and emits
 * each payload as a {@code byte[]}. A zero or oversized length closes the connection without
 * reading the payload. Deadlines (keep.md §3 item 5): the first frame must start within {@code
 * firstFrameTimeout} of accept, and a frame whose first byte arrived must be complete within
 * {@code frameTimeout}; between frames a connection may stay idle for ever.
 */
final class FrameDecoder extends ByteToMessageDecoder {
  private static final Logger log = LoggerFactory.getLogger(FrameDecoder.class);

  private final long firstFrameNanos;
  private final long frameNanos;
  private @Nullable ScheduledFuture<?> deadline;
  private boolean anyBytes;
  private boolean failed;
  /** A frame completed during the current read, so any partial rest is a new frame. */
  private boolean progressed;

  FrameDecoder(Duration firstFrameTimeout, Duration frameTimeout) {
    this.firstFrameNanos = firstFrameTimeout.toNanos();
    this.frameNanos = frameTimeout.toNanos();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (firstFrameNanos > 0) {
      deadline = schedule(ctx, firstFrameNanos, "no frame within the first-frame timeout");
    }
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    boolean firstBytes = !anyBytes;
    anyBytes = true;
    super.channelRead(ctx, msg);
    if (failed) {
      return;
    }
    boolean partial = internalBuffer().isReadable();
    if (!partial) {
      cancelDeadline();
    } else if (firstBytes || deadline == null || progressed) {
      cancelDeadline();
      deadline = schedule(ctx, frameNanos, "partial frame not completed in time");
    }
    progressed = false;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    while (in.readableBytes() >= KeepPackets.HEADER_SIZE) {
      long length = in.getUnsignedInt(in.readerIndex());
      if (length == 0 || length > KeepPackets.MAX_PACKET_SIZE) {
        fail(ctx, in, length == 0 ? "zero-length packet" : "packet too large: " + length + " > " + KeepPackets.MAX_PACKET_SIZE);
        return;
      }
      if (in.readableBytes() < KeepPackets.HEADER_SIZE + length) {
        return;
      }
      in.skipBytes(KeepPackets.HEADER_SIZE);
      byte[] payload = new byte[(int) length];
      in.readBytes(payload);
      progressed = true;
      out.add(payload);
    }
  }

  private void fail(ChannelHandlerContext ctx, ByteBuf in, String reason) {
    failed = true;
    in.skipBytes(in.readableBytes());
    cancelDeadline();
    log.debug("Read error from {}: {}", ctx.channel().remoteAddress(), reason);
    ctx.close();
  }

  private ScheduledFuture<?> schedule(ChannelHandlerContext ctx, long nanos, String reason) {
    return ctx.executor()
        .schedule(
            () -> {
              if (ctx.channel().isActive()) {
                log.debug("Closing {}: {}", ctx.channel().remoteAddress(), reason);
                failed = true;
                ctx.close();
              }
            },
            nanos,
            TimeUnit.NANOSECONDS);
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    cancelDeadline();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancelDeadline();
    super.channelInactive(ctx);
  }
}
