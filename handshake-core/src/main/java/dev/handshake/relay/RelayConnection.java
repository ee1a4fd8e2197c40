package dev.handshake.relay;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.relay.proto.Packet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * One open relay connection as the engine tracks it: the names it registered, its rate bucket
 * and its counters. The transport feeds it frames in arrival order — {@link #receive} does
 * everything; {@link #decode} / {@link InboundPacket#verify} / {@link #dispatch} are the same
 * steps split so that verification can run on another thread — and calls {@link #closed()} once.
 */
public final class RelayConnection {
  private final RelayEngine engine;
  private final RelayPeer peer;
  private final TokenBucket bucket;
  private final LinkedHashSet<String> names = new LinkedHashSet<>();
  private final AtomicLong packets = new AtomicLong();
  private @Nullable String lastSrc;
  private volatile @Nullable Ed25519PublicKey lastKey;
  private volatile boolean closed;

  private final RelayEngine.AddressState address;

  RelayConnection(
      RelayEngine engine, RelayPeer peer, TokenBucket bucket, RelayEngine.AddressState address) {
    this.engine = engine;
    this.peer = peer;
    this.bucket = bucket;
    this.address = address;
  }

  public RelayPeer peer() {
    return peer;
  }

  /** Decodes, verifies and dispatches one frame's payload. */
  public FrameOutcome receive(byte[] packetBytes) {
    Decoded decoded = decode(packetBytes);
    return switch (decoded) {
      case Decoded.Malformed m -> FrameOutcome.CLOSE;
      case Decoded.RateLimited r -> FrameOutcome.DROPPED_RATE_LIMITED;
      case Decoded.Parsed p -> dispatch(p.packet());
    };
  }

  /** The first step: rate limits (before any crypto), then protobuf parsing. */
  public Decoded decode(byte[] packetBytes) {
    if (packetBytes.length == 0 || packetBytes.length > KeepPackets.MAX_PACKET_SIZE) {
      return new Decoded.Malformed("frame length " + packetBytes.length + " out of range");
    }
    if (!engine.admitFrame(this)) {
      return new Decoded.RateLimited();
    }
    try {
      return new Decoded.Parsed(new InboundPacket(Packet.parseFrom(packetBytes)));
    } catch (InvalidProtocolBufferException e) {
      return new Decoded.Malformed("unmarshal: " + e.getMessage());
    }
  }

  /** Verifies with this connection's cached key; safe on any thread. */
  public SignatureCheck verify(InboundPacket packet) {
    SignatureCheck check = packet.verify(lastKey);
    if (check.valid()) {
      packet.key().ifPresent(k -> lastKey = k);
    }
    return check;
  }

  /** The last step, in arrival order: registration, statistics, reply or forward. */
  public FrameOutcome dispatch(InboundPacket packet) {
    if (closed) {
      return FrameOutcome.DROPPED_CLOSED;
    }
    return engine.dispatch(this, packet, verify(packet));
  }

  /** Called once by the transport when the connection is gone. */
  public void closed() {
    if (!closed) {
      closed = true;
      engine.release(this);
    }
  }

  public boolean isClosed() {
    return closed;
  }

  /** The names this connection registered, oldest first. */
  public synchronized List<String> names() {
    return new ArrayList<>(names);
  }

  synchronized boolean holdsOrHasRoomFor(String src, int max) {
    return names.contains(src) || names.size() < max;
  }

  synchronized void addName(String src) {
    names.add(src);
    lastSrc = src;
  }

  synchronized void removeName(String src) {
    names.remove(src);
  }

  synchronized Optional<String> lastSrc() {
    return Optional.ofNullable(lastSrc);
  }

  long countPacket() {
    return packets.incrementAndGet();
  }

  long packets() {
    return packets.get();
  }

  TokenBucket bucket() {
    return bucket;
  }

  RelayEngine.AddressState address() {
    return address;
  }

  /** The result of {@link #decode}: a closed set of three cases. */
  public sealed interface Decoded {
    /** Framing or protobuf error (including invalid UTF-8): close the connection. */
    record Malformed(String reason) implements Decoded {}

    /** Over a frame-rate limit: drop silently. */
    record RateLimited() implements Decoded {}

    record Parsed(InboundPacket packet) implements Decoded {}
  }
}
