package dev.handshake.server.relay;

import dev.handshake.relay.KeepPackets;
import dev.handshake.relay.RelayPeer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of a relay connection (keep.md §3 item 6): every frame is a single buffer
 * (header and payload) written through the channel's event loop, so frames from many forwarders
 * never interleave. The queue of frames not yet handed to the kernel is bounded by count and
 * bytes; overflowing it, or a write that makes no progress for {@code writeTimeout}, closes the
 * connection (the engine then unregisters its names). Senders never wait.
 */
final class NettyRelayPeer implements RelayPeer {
  private static final Logger log = LoggerFactory.getLogger(NettyRelayPeer.class);

  private final Channel channel;
  private final int maxFrames;
  private final long maxBytes;
  private final AtomicInteger pendingFrames = new AtomicInteger();
  private final AtomicLong pendingBytes = new AtomicLong();
  private volatile long lastProgressNanos = System.nanoTime();
  private final String host;
  private final String address;

  NettyRelayPeer(Channel channel, int maxFrames, long maxBytes) {
    this.channel = channel;
    this.maxFrames = maxFrames;
    this.maxBytes = maxBytes;
    SocketAddress remote = channel.remoteAddress();
    if (remote instanceof InetSocketAddress inet) {
      this.host = inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
      this.address = host + ":" + inet.getPort();
    } else {
      this.host = String.valueOf(remote);
      this.address = host;
    }
  }

  @Override
  public boolean send(byte[] packetBytes) {
    if (!channel.isActive()) {
      return false;
    }
    int size = KeepPackets.HEADER_SIZE + packetBytes.length;
    int frames = pendingFrames.incrementAndGet();
    long bytes = pendingBytes.addAndGet(size);
    if (frames > maxFrames || bytes > maxBytes) {
      pendingFrames.decrementAndGet();
      pendingBytes.addAndGet(-size);
      log.info("Outbound queue of {} full ({} frames, {} bytes); closing", address, frames - 1, bytes - size);
      channel.close();
      return false;
    }
    if (frames == 1) {
      lastProgressNanos = System.nanoTime();
    }
    ByteBuf frame = channel.alloc().buffer(size);
    frame.writeInt(packetBytes.length).writeBytes(packetBytes);
    channel
        .writeAndFlush(frame)
        .addListener(
            future -> {
              pendingFrames.decrementAndGet();
              pendingBytes.addAndGet(-size);
              lastProgressNanos = System.nanoTime();
            });
    return true;
  }

  /** Closes the connection when queued writes made no progress for {@code timeoutNanos}. */
  boolean closeIfStalled(long nowNanos, long timeoutNanos) {
    if (pendingFrames.get() > 0 && nowNanos - lastProgressNanos > timeoutNanos && channel.isActive()) {
      log.info("Write to {} made no progress in time; closing", address);
      channel.close();
      return true;
    }
    return false;
  }

  int pendingFrames() {
    return pendingFrames.get();
  }

  Channel channel() {
    return channel;
  }

  @Override
  public void close() {
    channel.close();
  }

  @Override
  public String remoteHost() {
    return host;
  }

  @Override
  public String remoteAddress() {
    return address;
  }
}
