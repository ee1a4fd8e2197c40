package dev.handshake.relay;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.handshake.relay.proto.Packet;
import java.util.ArrayList;
import java.util.List;

/** A {@link RelayPeer} that records what the engine sends; can be told to refuse writes. */
final class RecordingPeer implements RelayPeer {
  final List<byte[]> sent = new ArrayList<>();
  final String host;
  final String address;
  volatile boolean refuseWrites;
  volatile boolean closed;

  RecordingPeer(String host, int port) {
    this.host = host;
    this.address = host + ":" + port;
  }

  @Override
  public synchronized boolean send(byte[] packetBytes) {
    if (refuseWrites || closed) {
      return false;
    }
    sent.add(packetBytes);
    return true;
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String remoteHost() {
    return host;
  }

  @Override
  public String remoteAddress() {
    return address;
  }

  synchronized List<Packet> packets() {
    List<Packet> out = new ArrayList<>();
    for (byte[] b : sent) {
      try {
        out.add(Packet.parseFrom(b));
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
    }
    return out;
  }

  /** A copy of the packets sent so far, as bytes. */
  synchronized List<byte[]> frames() {
    return new ArrayList<>(sent);
  }

  synchronized List<String> bodies() {
    return packets().stream().map(Packet::getBody).toList();
  }

  synchronized void clear() {
    sent.clear();
  }
}
