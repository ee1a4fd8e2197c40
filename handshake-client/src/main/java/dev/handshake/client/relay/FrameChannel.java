package dev.handshake.client.relay;

import dev.handshake.relay.KeepPackets;
import dev.handshake.relay.proto.Packet;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One TCP connection to a relay, speaking length-prefixed frames (keep.md §2.3). Each frame is
 * written as one buffer under one lock, so concurrent senders never interleave a header with
 * another frame's payload (the reference's stream corruption, keep.md §3 item 6).
 */
final class FrameChannel implements Closeable {
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  // A lock rather than synchronized: virtual threads must not pin a carrier while writing.
  private final ReentrantLock writeLock = new ReentrantLock();

  private FrameChannel(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Connects within {@code timeout}; reads then block for at most {@code readTimeout} (0 = no limit). */
  static FrameChannel open(String host, int port, Duration timeout, Duration readTimeout)
      throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), millis(timeout));
      socket.setSoTimeout(millis(readTimeout));
      return new FrameChannel(socket);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** Writes {@code packet} as one frame; the caller has already checked its size. */
  void write(Packet packet) throws IOException {
    byte[] frame = KeepPackets.frame(packet.toByteArray());
    writeLock.lock();
    try {
      out.write(frame);
      out.flush();
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * The next packet, or empty when the peer closed the stream cleanly between frames.
   *
   * @throws RelayFrameException for a zero-length or oversized frame (the caller must close)
   * @throws IOException for a truncated frame, a protobuf that does not parse or a socket error
   */
  Optional<Packet> read() throws IOException {
    byte[] header = new byte[KeepPackets.HEADER_SIZE];
    int got = in.readNBytes(header, 0, header.length);
    if (got == 0) {
      return Optional.empty();
    }
    if (got < header.length) {
      throw new EOFException("connection closed inside a frame header");
    }
    long length = Integer.toUnsignedLong(ByteBuffer.wrap(header).getInt());
    if (length == 0) {
      throw new RelayFrameException("Received zero-length frame");
    }
    if (length > KeepPackets.MAX_PACKET_SIZE) {
      throw new RelayFrameException(
          "Frame too large: " + length + " > " + KeepPackets.MAX_PACKET_SIZE);
    }
    byte[] payload = new byte[(int) length];
    in.readFully(payload);
    return Optional.of(Packet.parseFrom(payload));
  }


  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** Closes without reporting a failure (the connection is being abandoned anyway). */
  void closeQuietly() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Nothing useful to do: the socket is gone either way.
    }
  }

  /** Limits how long each following {@link #read()} may block (0 = no limit). */
  void readTimeout(Duration timeout) throws SocketException {
    socket.setSoTimeout(millis(timeout));
  }

  private static int millis(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(0, d.toMillis()));
  }
}
