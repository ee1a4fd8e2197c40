package dev.handshake.server.relay;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits on the listening channel: when accept fails (typically {@code Too many open files}) it
 * stops accepting for a while, doubling the pause from {@code minDelay} to {@code maxDelay} while
 * failures continue, instead of retrying in a busy loop as the reference does (keep.md §2.10,
 * §3 item 5). A successful accept resets the pause.
 */
final class AcceptBackoff extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(AcceptBackoff.class);

  private final long minDelayMillis;
  private final long maxDelayMillis;
  private long delayMillis;
  private long failures;

  AcceptBackoff(long minDelayMillis, long maxDelayMillis) {
    this.minDelayMillis = minDelayMillis;
    this.maxDelayMillis = maxDelayMillis;
    this.delayMillis = minDelayMillis;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object child) {
    delayMillis = minDelayMillis;
    ctx.fireChannelRead(child);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!(cause instanceof IOException)) {
      ctx.fireExceptionCaught(cause);
      return;
    }
    failures++;
    if (failures == 1 || Long.bitCount(failures) == 1) {
      log.warn("Accept failed ({}); pausing accepts for {} ms (failure #{})", cause.getMessage(), delayMillis, failures);
    }
    ctx.channel().config().setAutoRead(false);
    long pause = delayMillis;
    delayMillis = Math.min(maxDelayMillis, delayMillis * 2);
    ctx.executor()
        .schedule(() -> ctx.channel().config().setAutoRead(true), pause, TimeUnit.MILLISECONDS);
  }

  long currentDelayMillis() {
    return delayMillis;
  }

  long failures() {
    return failures;
  }
}
