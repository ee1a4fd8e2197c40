package dev.handshake.relay;

import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.relay.proto.Packet;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A parsed inbound packet and, once {@link #verify} ran, its signature check. Verification is
 * pure CPU work and thread-safe, so a transport may run it on a worker pool and then {@linkplain
 * RelayConnection#dispatch dispatch} packets in arrival order.
 */
public final class InboundPacket {
  private final Packet packet;
  private byte @Nullable [] signPayload;
  private volatile @Nullable SignatureCheck check;
  private @Nullable Ed25519PublicKey key;

  InboundPacket(Packet packet) {
    this.packet = packet;
  }

  public Packet packet() {
    return packet;
  }

  /** The canonical fields 3–10, computed once. */
  byte[] signPayload() {
    byte[] p = signPayload;
    if (p == null) {
      p = KeepPackets.signPayload(packet);
      signPayload = p;
    }
    return p;
  }

  /**
   * Checks {@code sig} and {@code pk} over the canonical fields 3–10 (keep.md §2.2). {@code
   * lastKey} is the key the same connection used before, reused to skip point decompression.
   */
  public SignatureCheck verify(@Nullable Ed25519PublicKey lastKey) {
    SignatureCheck done = check;
    if (done != null) {
      return done;
    }
    SignatureCheck result = computeCheck(lastKey);
    check = result;
    return result;
  }

  private SignatureCheck computeCheck(@Nullable Ed25519PublicKey lastKey) {
    int pkLength = packet.getPk().size();
    int sigLength = packet.getSig().size();
    if (pkLength == 0 && sigLength == 0) {
      return SignatureCheck.UNSIGNED;
    }
    if (pkLength != Ed25519PublicKey.SIZE) {
      return SignatureCheck.MALFORMED_PK;
    }
    if (sigLength != Ed25519PublicKey.SIGNATURE_SIZE) {
      return SignatureCheck.MALFORMED_SIG;
    }
    byte[] pk = packet.getPk().toByteArray();
    Ed25519PublicKey k =
        lastKey != null && lastKey.matches(pk) ? lastKey : Ed25519PublicKey.parse(pk).orElse(null);
    if (k == null) {
      return SignatureCheck.INVALID;
    }
    key = k;
    return k.verify(signPayload(), packet.getSig().toByteArray())
        ? SignatureCheck.VALID
        : SignatureCheck.INVALID;
  }

  /** The signer's key once {@link #verify} returned {@link SignatureCheck#VALID}. */
  Optional<Ed25519PublicKey> key() {
    return Optional.ofNullable(key);
  }
}
