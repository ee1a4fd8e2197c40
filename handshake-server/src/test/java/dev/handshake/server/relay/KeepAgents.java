package dev.handshake.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.relay.KeepPackets;
import dev.handshake.relay.proto.Packet;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Signed keep packets for agents on plain sockets ({@link KeepWire}), with ids unique per
 * instance: what the tests with relay servers in two places (two listeners in this JVM, or two
 * {@code serve} processes) share.
 */
public final class KeepAgents {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final String idPrefix;
  private final AtomicInteger ids = new AtomicInteger();

  private KeepAgents(String idPrefix) {
    this.idPrefix = idPrefix;
  }

  /** Packets whose ids are {@code idPrefix-1}, {@code idPrefix-2}, … */
  public static KeepAgents withIdPrefix(String idPrefix) {
    return new KeepAgents(idPrefix);
  }

  /** A fresh agent key. */
  public static Ed25519PrivateKey newKey() {
    return Ed25519PrivateKey.generate(RANDOM);
  }

  /** A packet from {@code src} to {@code dst}, with the next id, signed with {@code key}. */
  public Packet signed(Ed25519PrivateKey key, String src, String dst, String body) {
    return KeepPackets.sign(
        Packet.newBuilder()
            .setId(idPrefix + "-" + ids.incrementAndGet())
            .setSrc(src)
            .setDst(dst)
            .setBody(body)
            .build(),
        key);
  }

  /** Registers {@code src} on {@code wire} (a packet to the server) and asserts it is answered {@code done}. */
  public KeepWire register(KeepWire wire, Ed25519PrivateKey key, String src) throws IOException {
    wire.send(signed(key, src, KeepPackets.SERVER, "register"));
    assertThat(wire.read().getBody()).as("registration of " + src).isEqualTo(KeepPackets.DONE);
    return wire;
  }
}
