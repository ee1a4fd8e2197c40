package dev.handshake.relay;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.relay.proto.Packet;
import java.nio.ByteBuffer;

/**
 * The keep-protocol wire rules shared by the server and the client (keep.md §2): what is signed,
 * how frames look and what the server answers.
 *
 * <pre>{@code
 * Packet signed = KeepPackets.sign(
 *     Packet.newBuilder().setId("p1").setSrc("bot:a").setDst("server").setBody("hi").build(), key);
 * byte[] frame = KeepPackets.frame(signed.toByteArray());
 * }</pre>
 */
public final class KeepPackets {
  /** Largest packet in either direction (keep.md §2.3); exactly this size is allowed. */
  public static final int MAX_PACKET_SIZE = 65536;

  /** Bytes of the big-endian length prefix of every frame. */
  public static final int HEADER_SIZE = 4;

  public static final String SERVER = "server";
  public static final String DISCOVER_PREFIX = "discover:";

  public static final int TYP_ASK = 0;
  public static final int TYP_REPLY = 1;
  public static final int TYP_HEARTBEAT = 2;

  public static final String DONE = "done";
  public static final String ERROR_OFFLINE = "error:offline";
  public static final String ERROR_DELIVERY_FAILED = "error:delivery_failed";
  public static final String ERROR_UNKNOWN_DISCOVERY = "error:unknown_discovery";
  /** Ours (keep.md §3 item 1): a forward from a key that does not hold its src. */
  public static final String ERROR_IDENTITY_CONFLICT = "error:identity_conflict";
  /** Ours: a connection tried to register more names than {@code maxNamesPerConnection}. */
  public static final String ERROR_TOO_MANY_IDENTITIES = "error:too_many_identities";

  private KeepPackets() {}

  /**
   * The signed bytes: a fresh packet holding only fields 3–10 of {@code packet}, without unknown
   * fields, serialised canonically (keep.md §2.2 "Java rule"). Never the received bytes.
   */
  public static byte[] signPayload(Packet packet) {
    return Packet.newBuilder()
        .setTyp(packet.getTyp())
        .setId(packet.getId())
        .setSrc(packet.getSrc())
        .setDst(packet.getDst())
        .setBody(packet.getBody())
        .setFee(packet.getFee())
        .setTtl(packet.getTtl())
        .setScar(packet.getScar())
        .build()
        .toByteArray();
  }

  /** {@code packet} with {@code sig} and {@code pk} set from {@code key} over its fields 3–10. */
  public static Packet sign(Packet packet, Ed25519PrivateKey key) {
    byte[] signature = key.sign(signPayload(packet));
    return packet.toBuilder()
        .setSig(ByteString.copyFrom(signature))
        .setPk(ByteString.copyFrom(key.publicKey().raw()))
        .build();
  }

  /** {@code packet} without fields the schema does not know (what we forward by default). */
  public static Packet withoutUnknownFields(Packet packet) {
    return packet.getUnknownFields().asMap().isEmpty()
        ? packet
        : packet.toBuilder().setUnknownFields(UnknownFieldSet.getDefaultInstance()).build();
  }

  /** One frame: the 4-byte big-endian length, then {@code packetBytes}, as one buffer. */
  public static byte[] frame(byte[] packetBytes) {
    if (packetBytes.length == 0 || packetBytes.length > MAX_PACKET_SIZE) {
      throw new IllegalArgumentException(
          "a frame carries 1.." + MAX_PACKET_SIZE + " bytes, got " + packetBytes.length);
    }
    return ByteBuffer.allocate(HEADER_SIZE + packetBytes.length)
        .putInt(packetBytes.length)
        .put(packetBytes)
        .array();
  }

  /** A server reply: {@code typ=1, id=<request id>, src="server", body=<text>} (keep.md §2.5). */
  public static Packet reply(String requestId, String body) {
    return Packet.newBuilder()
        .setTyp(TYP_REPLY)
        .setId(requestId)
        .setSrc(SERVER)
        .setBody(body)
        .build();
  }

  /** The heartbeat {@code typ=2, src="server"} (keep.md §2.8). */
  public static Packet heartbeat() {
    return Packet.newBuilder().setTyp(TYP_HEARTBEAT).setSrc(SERVER).build();
  }

  /** Whether {@code dst} is answered by the server itself ({@code "server"} or empty). */
  public static boolean isServerDestination(String dst) {
    return dst.isEmpty() || dst.equals(SERVER);
  }

  /** Whether the server answers a packet to {@code dst} (server, empty or a discovery query). */
  public static boolean expectsReply(String dst) {
    return isServerDestination(dst) || dst.startsWith(DISCOVER_PREFIX);
  }
}
