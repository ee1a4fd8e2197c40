package dev.handshake.server.relay;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.relay.KeepPackets;
import dev.handshake.relay.proto.Packet;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A blocking keep-protocol client over a plain socket (keep.md §2.3) for tests that need control
 * of single bytes: half-sent headers, bursts written in one go, a peer that never reads. Reads keep
 * already received bytes across timeouts, so a frame split over two polls is never lost.
 *
 * <pre>{@code
 * try (RawKeepSocket s = RawKeepSocket.connect(relay.address())) {
 *   s.send(RawKeepSocket.signed(key, "p1", "bot:a", "server", "hi"));
 *   Packet reply = s.readPacket(Duration.ofSeconds(2));   // body "done"
 * }
 * }</pre>
 */
final class RawKeepSocket implements AutoCloseable {
  /** Socket options that must be set before connecting (receive buffer, local address). */
  @FunctionalInterface
  interface Setup {
    void apply(Socket socket) throws IOException;
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private byte[] buffer = new byte[1 << 17];
  private int start;
  private int end;

  private RawKeepSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
  }

  static RawKeepSocket connect(InetSocketAddress relay) throws IOException {
    return connect(relay, s -> {});
  }

  static RawKeepSocket connect(InetSocketAddress relay, Setup setup) throws IOException {
    Socket socket = new Socket();
    try {
      setup.apply(socket);
      socket.setTcpNoDelay(true);
      socket.connect(relay, 5_000);
      return new RawKeepSocket(socket);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** A packet signed by {@code key} over its canonical fields 3–10 (keep.md §2.2). */
  static Packet signed(Ed25519PrivateKey key, String id, String src, String dst, String body) {
    return KeepPackets.sign(
        Packet.newBuilder().setId(id).setSrc(src).setDst(dst).setBody(body).build(), key);
  }

  Socket socket() {
    return socket;
  }

  void send(Packet packet) throws IOException {
    sendFrame(packet.toByteArray());
  }

  /** Writes one frame (length prefix, then {@code packetBytes}) and flushes. */
  void sendFrame(byte[] packetBytes) throws IOException {
    out.write(KeepPackets.frame(packetBytes));
    out.flush();
  }

  /** Writes many frames back to back with a single flush at the end (a burst). */
  void sendFrames(List<byte[]> packets) throws IOException {
    for (byte[] p : packets) {
      out.write(KeepPackets.frame(p));
    }
    out.flush();
  }

  /** Writes {@code bytes} as they are, with no framing. */
  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /**
   * Sends {@code request} and returns the next packet that is not a heartbeat; it must arrive
   * within {@code timeout}.
   */
  Packet roundTrip(Packet request, Duration timeout) throws IOException {
    send(request);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Packet p = readPacket(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
      if (!isHeartbeat(p)) {
        return p;
      }
    }
  }

  /**
   * Reads until the packet whose id is {@code id} (the server's reply to that request), within
   * {@code timeout}. Heartbeats are skipped; every other packet read on the way is added to {@code
   * others}.
   */
  Packet replyTo(String id, Duration timeout, List<Packet> others) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Packet p = readPacket(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
      if (p.getId().equals(id)) {
        return p;
      }
      if (!isHeartbeat(p)) {
        others.add(p);
      }
    }
  }

  /** The server's heartbeat {@code typ=2, src="server"} (keep.md §2.8). */
  static boolean isHeartbeat(Packet p) {
    return p.getTyp() == KeepPackets.TYP_HEARTBEAT && p.getSrc().equals(KeepPackets.SERVER);
  }

  /**
   * The next frame's payload. Throws {@link SocketTimeoutException} when none completes within
   * {@code timeout} (bytes already received are kept), {@link EOFException} at end of stream and
   * an {@link IOException} naming the length when the header is not a legal keep length.
   */
  byte[] readFrame(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    fill(KeepPackets.HEADER_SIZE, deadline);
    long length =
        ((buffer[start] & 0xffL) << 24)
            | ((buffer[start + 1] & 0xffL) << 16)
            | ((buffer[start + 2] & 0xffL) << 8)
            | (buffer[start + 3] & 0xffL);
    if (length == 0 || length > KeepPackets.MAX_PACKET_SIZE) {
      throw new IOException("stream desynchronised: frame length " + length);
    }
    fill(KeepPackets.HEADER_SIZE + (int) length, deadline);
    byte[] payload =
        Arrays.copyOfRange(buffer, start + KeepPackets.HEADER_SIZE, start + KeepPackets.HEADER_SIZE + (int) length);
    start += KeepPackets.HEADER_SIZE + (int) length;
    return payload;
  }

  /** The next frame parsed as a {@link Packet}; see {@link #readFrame}. */
  Packet readPacket(Duration timeout) throws IOException {
    byte[] payload = readFrame(timeout);
    try {
      return Packet.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw new IOException("frame of " + payload.length + " bytes is not a Packet", e);
    }
  }

  /** The next packet, or empty when none arrives within {@code timeout}. */
  Optional<Packet> poll(Duration timeout) throws IOException {
    try {
      return Optional.of(readPacket(timeout));
    } catch (SocketTimeoutException e) {
      return Optional.empty();
    }
  }

  /** The next packet that is not a heartbeat, or empty when none arrives within {@code timeout}. */
  Optional<Packet> pollIgnoringHeartbeats(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<Packet> p = poll(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
      if (p.isEmpty() || !isHeartbeat(p.get())) {
        return p;
      }
    }
  }

  /**
   * Whether the relay closes this connection within {@code timeout}: reads (and discards) until end
   * of stream or a reset. False when the connection is still open at the deadline.
   */
  boolean closedWithin(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] sink = new byte[1 << 16];
    while (true) {
      long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
      if (remainingMillis <= 0) {
        return false;
      }
      socket.setSoTimeout((int) Math.max(1, remainingMillis));
      try {
        if (in.read(sink) < 0) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true; // connection reset: closed with unread data
      }
    }
  }

  private void fill(int needed, long deadlineNanos) throws IOException {
    if (buffer.length - start < needed) {
      byte[] target = buffer.length < needed ? new byte[Math.max(needed, buffer.length * 2)] : buffer;
      System.arraycopy(buffer, start, target, 0, end - start);
      buffer = target;
      end -= start;
      start = 0;
    }
    while (end - start < needed) {
      long remainingMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
      if (remainingMillis <= 0) {
        throw new SocketTimeoutException(
            "no complete frame in time (" + (end - start) + " bytes buffered)");
      }
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, remainingMillis));
      int n = in.read(buffer, end, buffer.length - end);
      if (n < 0) {
        throw new EOFException("connection closed (" + (end - start) + " bytes of a frame buffered)");
      }
      end += n;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
