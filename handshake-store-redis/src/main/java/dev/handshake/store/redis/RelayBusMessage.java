package dev.handshake.store.redis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One message on a relay node's channel: a kind byte, the identity's length (4 bytes, big-endian)
 * and UTF-8 bytes, then for a packet the packet bytes. Anything else is malformed and dropped.
 *
 * @param kind {@link #PACKET} or {@link #LOST}
 * @param identity the identity the packet is for, or the identity the node lost
 * @param packet the packet bytes (empty for {@link #LOST})
 */
record RelayBusMessage(byte kind, String identity, byte[] packet) {
  /** A verified packet for one of the node's identities. */
  static final byte PACKET = 0;

  /** Another node took one of the node's identities over. */
  static final byte LOST = 1;

  private static final int HEADER = 1 + 4;

  static byte[] packet(String identity, byte[] packetBytes) {
    return encode(PACKET, identity, packetBytes);
  }

  static byte[] lost(String identity) {
    return encode(LOST, identity, new byte[0]);
  }

  private static byte[] encode(byte kind, String identity, byte[] payload) {
    byte[] id = identity.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(HEADER + id.length + payload.length)
        .put(kind)
        .putInt(id.length)
        .put(id)
        .put(payload)
        .array();
  }

  /** The message in {@code bytes}, or empty when they are not one. */
  static Optional<RelayBusMessage> decode(byte[] bytes) {
    if (bytes.length < HEADER) {
      return Optional.empty();
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    byte kind = b.get();
    int idLength = b.getInt();
    if ((kind != PACKET && kind != LOST) || idLength < 0 || idLength > b.remaining()) {
      return Optional.empty();
    }
    String identity = new String(bytes, HEADER, idLength, StandardCharsets.UTF_8);
    int offset = HEADER + idLength;
    byte[] packet = new byte[bytes.length - offset];
    System.arraycopy(bytes, offset, packet, 0, packet.length);
    if (kind == LOST ? packet.length != 0 : packet.length == 0) {
      return Optional.empty();
    }
    return Optional.of(new RelayBusMessage(kind, identity, packet));
  }
}
