package dev.handshake.client.relay;

import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.relay.KeepPackets;
import dev.handshake.relay.proto.Packet;
import java.util.Optional;

/**
 * A packet the relay delivered to us that passed the client's checks (keep.md §3 item 12): either
 * signed with a valid Ed25519 signature over its canonical fields 3–10 ({@code verified}), or an
 * unsigned packet from {@code src = "server"} (the relay's replies and heartbeats are unsigned,
 * keep.md §2.5). Everything else is dropped before it reaches application code.
 *
 * @param packet the packet as parsed from the wire
 * @param verified whether {@code sig}/{@code pk} were present and the signature is valid
 */
public record ReceivedPacket(Packet packet, boolean verified) {

  /** Checks a packet read from the relay; empty means it must be dropped. */
  static Optional<ReceivedPacket> check(Packet packet) {
    boolean unsigned = packet.getSig().isEmpty() && packet.getPk().isEmpty();
    if (unsigned) {
      return KeepPackets.SERVER.equals(packet.getSrc())
          ? Optional.of(new ReceivedPacket(packet, false))
          : Optional.empty();
    }
    boolean valid =
        Ed25519PublicKey.verify(
            packet.getPk().toByteArray(),
            KeepPackets.signPayload(packet),
            packet.getSig().toByteArray());
    return valid ? Optional.of(new ReceivedPacket(packet, true)) : Optional.empty();
  }

  public String id() {
    return packet.getId();
  }

  public String src() {
    return packet.getSrc();
  }

  public String dst() {
    return packet.getDst();
  }

  public int typ() {
    return packet.getTyp();
  }

  public String body() {
    return packet.getBody();
  }

  /** The sender's key, for a verified packet (the relay does not bind src to key in legacy mode). */
  public Optional<Ed25519PublicKey> publicKey() {
    return verified ? Ed25519PublicKey.parse(packet.getPk().toByteArray()) : Optional.empty();
  }

  /** Whether the relay itself sent this (a reply, an error notice or a heartbeat). */
  public boolean fromServer() {
    return KeepPackets.SERVER.equals(packet.getSrc());
  }

  /** Whether this is a heartbeat ({@code typ = 2}, keep.md §2.8). */
  boolean isHeartbeat() {
    return packet.getTyp() == KeepPackets.TYP_HEARTBEAT;
  }

  /** Names the packet without its body, which may be private to the two agents. */
  @Override
  public String toString() {
    return "ReceivedPacket[id=" + id() + ", src=" + src() + ", dst=" + dst() + ", typ=" + typ()
        + ", body=<" + body().length() + " chars>, verified=" + verified + "]";
  }
}
