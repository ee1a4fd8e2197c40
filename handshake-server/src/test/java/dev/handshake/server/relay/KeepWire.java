package dev.handshake.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.handshake.relay.proto.Packet;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * A raw keep-protocol connection for conformance tests: writes exact bytes and reads frames
 * exactly as they arrive, asserting that no frame is ever empty (keep.md §4 item 24). Public for
 * the tests that talk to a {@code serve} process ({@code ServeRelayAcrossNodesTest}).
 */
public final class KeepWire implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  public KeepWire(InetSocketAddress address) throws IOException {
    socket = new Socket();
    socket.connect(address, 5000);
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(5000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  public KeepWire sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  public KeepWire send(Packet packet) throws IOException {
    return sendPacketBytes(packet.toByteArray());
  }

  public KeepWire sendPacketBytes(byte[] packet) throws IOException {
    byte[] frame = ByteBuffer.allocate(4 + packet.length).putInt(packet.length).put(packet).array();
    return sendRaw(frame);
  }

  /** The next frame's payload; fails the test on timeout or close. */
  public byte[] readFrame() throws IOException {
    int length = in.readInt();
    assertThat(length).as("the server never sends an empty frame (item 24)").isPositive();
    assertThat(length).isLessThanOrEqualTo(65536);
    byte[] payload = new byte[length];
    in.readFully(payload);
    return payload;
  }

  public Packet read() throws IOException {
    try {
      return Packet.parseFrom(readFrame());
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("server sent an unparseable packet", e);
    }
  }

  /** The next frame if one arrives within {@code millis}, else empty. */
  public Optional<Packet> readWithin(int millis) throws IOException {
    int previous = socket.getSoTimeout();
    socket.setSoTimeout(millis);
    try {
      return Optional.of(read());
    } catch (SocketTimeoutException e) {
      return Optional.empty();
    } finally {
      socket.setSoTimeout(previous);
    }
  }

  /** Whether the server closed the connection (EOF or reset) within five seconds. */
  public boolean closedByServer() throws IOException {
    try {
      while (true) {
        if (in.read() < 0) {
          return true;
        }
      }
    } catch (EOFException | SocketException e) {
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
