package dev.handshake.client.relay;

import dev.handshake.relay.proto.Packet;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * One ephemeral send (keep.md §2.12): connect, write one frame, wait for the reply only when the
 * relay answers the destination, close. The reply is the first server packet carrying our id;
 * anything else that arrives meanwhile (a forward for our briefly registered src, a heartbeat)
 * is skipped rather than mistaken for it.
 */
final class EphemeralExchange {
  private final String host;
  private final int port;
  private final Duration timeout;

  EphemeralExchange(String host, int port, Duration timeout) {
    this.host = host;
    this.port = port;
    this.timeout = timeout;
  }

  Optional<Packet> send(Packet packet, boolean awaitReply) throws IOException {
    try (FrameChannel channel = FrameChannel.open(host, port, timeout, timeout)) {
      channel.write(packet);
      if (!awaitReply) {
        return Optional.empty();
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new SocketTimeoutException("no reply from the relay within " + timeout);
        }
        channel.readTimeout(Duration.ofNanos(left).plusMillis(1));
        Packet next =
            channel
                .read()
                .orElseThrow(
                    () -> new EOFException("relay closed the connection before replying"));
        Optional<ReceivedPacket> reply = ReceivedPacket.check(next);
        if (reply.isPresent()
            && reply.get().fromServer()
            && !reply.get().isHeartbeat()
            && reply.get().id().equals(packet.getId())) {
          return Optional.of(next);
        }
      }
    }
  }
}
