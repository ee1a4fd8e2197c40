package dev.handshake.server.relay;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.relay.KeepPackets;
import dev.handshake.relay.RelayConfig;
import dev.handshake.relay.RelayEngine;
import dev.handshake.relay.proto.Packet;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/** A real relay listener on a random loopback port plus packet-signing shortcuts. */
final class KeepServerFixture implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final RelayListener listener;
  private final AtomicInteger ids = new AtomicInteger();

  KeepServerFixture(RelayConfig config) throws InterruptedException {
    listener = RelayListener.start("127.0.0.1", 0, new RelayEngine(config, Clock.systemUTC()));
  }

  InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", listener.port());
  }

  RelayListener listener() {
    return listener;
  }

  KeepWire connect() throws IOException {
    return new KeepWire(address());
  }

  static Ed25519PrivateKey newKey() {
    return Ed25519PrivateKey.generate(RANDOM);
  }

  String nextId() {
    return "t-" + ids.incrementAndGet();
  }

  Packet signed(Ed25519PrivateKey key, String src, String dst, String body) {
    return KeepPackets.sign(
        Packet.newBuilder().setId(nextId()).setSrc(src).setDst(dst).setBody(body).setTtl(60).build(), key);
  }

  /** Connects and registers {@code src} (a packet to the server, answered {@code done}). */
  KeepWire register(Ed25519PrivateKey key, String src) throws IOException {
    KeepWire wire = connect();
    wire.send(signed(key, src, "server", "register"));
    Packet reply = wire.read();
    if (!reply.getBody().equals(KeepPackets.DONE)) {
      throw new AssertionError("registration of " + src + " answered " + reply.getBody());
    }
    return wire;
  }

  @Override
  public void close() {
    listener.close();
  }
}
