package dev.handshake.client.relay;

import dev.handshake.relay.KeepPackets;
import dev.handshake.relay.proto.Packet;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;

/**
 * A scripted stand-in for a relay on 127.0.0.1: accepts one connection and runs a script that
 * reads and writes raw frames, so tests can send what a real relay never would (zero-length and
 * oversized frames, forged or unsigned packets). The real relay is exercised by the
 * handshake-server module's tests.
 */
final class FakeRelay implements AutoCloseable {
  /** What a script does with the accepted connection. */
  interface Script {
    void run(Conversation c) throws IOException;
  }

  /** The accepted connection, frame by frame. */
  static final class Conversation {
    private final DataInputStream in;
    private final DataOutputStream out;

    Conversation(Socket socket) throws IOException {
      this.in = new DataInputStream(socket.getInputStream());
      this.out = new DataOutputStream(socket.getOutputStream());
    }

    Packet read() throws IOException {
      byte[] payload = new byte[in.readInt()];
      in.readFully(payload);
      return Packet.parseFrom(payload);
    }

    void write(Packet packet) throws IOException {
      out.write(KeepPackets.frame(packet.toByteArray()));
      out.flush();
    }

    void writeRaw(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    /** Blocks until the client closes its side (or the test ends). */
    void awaitClose() throws IOException {
      while (in.read() >= 0) {
        // discard
      }
    }
  }

  private final ServerSocket server;
  private final CompletableFuture<Void> done = new CompletableFuture<>();

  private FakeRelay(ServerSocket server) {
    this.server = server;
  }

  static FakeRelay start(Script script) throws IOException {
    FakeRelay relay = new FakeRelay(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    Thread.ofVirtual().start(() -> relay.serve(script));
    return relay;
  }

  private void serve(Script script) {
    try (Socket socket = server.accept()) {
      script.run(new Conversation(socket));
      done.complete(null);
    } catch (IOException | RuntimeException e) {
      done.completeExceptionally(e);
    }
  }

  int port() {
    return server.getLocalPort();
  }

  /** Completes when the script finished (exceptionally if it failed). */
  CompletableFuture<Void> done() {
    return done;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
