package dev.handshake.relay;

import dev.handshake.relay.proto.Packet;

/**
 * Told about every packet the relay forwarded to its destination (after the signature check,
 * replay check and routing succeeded). Called on the sender's I/O thread: implementations must
 * return at once — hand the work to a queue of their own.
 */
@FunctionalInterface
public interface RelayObserver {
  /** Observes nothing; the default. */
  RelayObserver NONE = (src, dst, packet) -> {};

  /**
   * @param src the verified sender name
   * @param dst the destination name
   * @param packet the packet exactly as forwarded (signature included)
   */
  void forwarded(String src, String dst, Packet packet);
}
