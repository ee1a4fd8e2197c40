package dev.handshake.client.relay;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.relay.KeepPackets;
import dev.handshake.relay.proto.Packet;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A keep-protocol 0.3.0 relay client (keep.md §2.12, with the fixes of §3 item 12): signs every
 * packet with its Ed25519 key over the canonical fields 3–10, correlates replies by packet {@code
 * id}, verifies received signatures, filters heartbeats and has no default {@code src}.
 *
 * <p>Without {@link #connect()} each {@code send} is <em>ephemeral</em>: it opens a connection,
 * writes one frame, waits for the reply only when the relay answers that destination ({@code
 * server}, {@code ""}, {@code discover:*}) and closes. After {@code connect()} one connection is
 * kept, and packets from other agents reach {@link #listen}.
 *
 * <pre>{@code
 * try (RelayClient bob = RelayClient.builder().src("bot:bob").key(key).build()) {
 *   bob.send("server", "hello");                     // Optional[reply "done"]
 *   JsonNode info = bob.discover("info");            // {"agents_online":..,"version":"0.3.0",..}
 *   bob.connect();
 *   bob.listen(p -> System.out.println(p.src() + ": " + p.body()));
 *   bob.send("bot:alice", "hi");                     // Optional.empty(): forwards are not acked
 * }
 * }</pre>
 *
 * <p>Thread-safe: frames are written whole under one lock, so any thread may send.
 */
public final class RelayClient implements AutoCloseable {
  private final String host;
  private final int port;
  private final Ed25519PrivateKey key;
  private final String src;
  private final Duration timeout;
  private final ReentrantLock stateLock = new ReentrantLock();
  private volatile @Nullable LiveSession session;
  private volatile boolean closed;

  RelayClient(String host, int port, Ed25519PrivateKey key, String src, Duration timeout) {
    this.host = host;
    this.port = port;
    this.key = key;
    this.src = src;
    this.timeout = timeout;
  }

  /** Starts a builder; {@code src} must be set before {@code build()}. */
  public static RelayClientBuilder builder() {
    return new RelayClientBuilder();
  }

  public String src() {
    return src;
  }

  public Ed25519PublicKey publicKey() {
    return key.publicKey();
  }

  public Duration timeout() {
    return timeout;
  }

  /**
   * Opens the persistent connection and starts its reader thread. After the connection ended,
   * calling this again opens a new one (set the listener again).
   */
  public void connect() throws IOException {
    stateLock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("client is closed");
      }
      LiveSession current = session;
      if (current != null && current.isOpen()) {
        throw new IllegalStateException("already connected");
      }
      session = LiveSession.start(FrameChannel.open(host, port, timeout, Duration.ZERO));
    } finally {
      stateLock.unlock();
    }
  }

  /** Whether a persistent connection is open. */
  public boolean isConnected() {
    LiveSession s = session;
    return s != null && s.isOpen();
  }

  /**
   * Completes when the persistent connection ends: normally after {@link #close()} or when the
   * relay closes cleanly, exceptionally (e.g. {@link RelayFrameException}) on a failure.
   */
  public CompletableFuture<Void> disconnected() {
    return live().ended();
  }

  /**
   * {@code template} as it goes on the wire: our {@code src} if it has none, a fresh UUID {@code id}
   * if it has none, then signed over its canonical fields 3–10 (keep.md §2.2).
   *
   * @throws IllegalArgumentException if the packet is larger than 65536 bytes (keep.md §2.3)
   */
  public Packet sign(Packet template) {
    Packet.Builder b = template.toBuilder().clearSig().clearPk();
    if (b.getSrc().isEmpty()) {
      b.setSrc(src);
    }
    if (b.getId().isEmpty()) {
      b.setId(UUID.randomUUID().toString());
    }
    Packet signed = KeepPackets.sign(b.build(), key);
    int size = signed.getSerializedSize();
    if (size > KeepPackets.MAX_PACKET_SIZE) {
      throw new IllegalArgumentException(
          "packet of " + size + " bytes exceeds the " + KeepPackets.MAX_PACKET_SIZE
              + "-byte maximum");
    }
    return signed;
  }

  /** Sends {@code body} to {@code dst}; see {@link #send(Packet)}. */
  public Optional<Packet> send(String dst, String body) throws IOException {
    return send(Packet.newBuilder().setDst(dst).setBody(body).build());
  }

  /**
   * Signs and sends {@code template} (see {@link #sign}) and returns the relay's reply when it
   * answers that destination, or empty for a forward to another agent (the relay does not
   * acknowledge forwards; a failed one is answered with {@code error:offline}, which a connected
   * client hands to {@link #listen}).
   *
   * @throws SocketTimeoutException when the reply does not arrive within the timeout
   * @throws IOException when the connection fails or the relay breaks the framing
   */
  public Optional<Packet> send(Packet template) throws IOException {
    checkOpen();
    Packet packet = sign(template);
    boolean answered = KeepPackets.expectsReply(packet.getDst());
    LiveSession s = session;
    if (s == null) {
      return new EphemeralExchange(host, port, timeout).send(packet, answered);
    }
    if (!answered) {
      s.write(packet);
      return Optional.empty();
    }
    return Optional.of(await(s.request(packet, KeepPackets.SERVER, timeout)).packet());
  }

  /** Like {@link #send(Packet)} without blocking; needs {@link #connect()}. */
  public CompletableFuture<Optional<Packet>> sendAsync(Packet template) throws IOException {
    Packet packet = sign(template);
    LiveSession s = live();
    if (!KeepPackets.expectsReply(packet.getDst())) {
      s.write(packet);
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return s.request(packet, KeepPackets.SERVER, timeout).thenApply(r -> Optional.of(r.packet()));
  }

  /**
   * Sends {@code body} to the agent {@code dst} and completes with its answer: the first verified
   * packet from {@code dst} carrying the same {@code id} (see {@link #reply}). Fails with a {@link
   * RelayReplyException} when the relay reports {@code error:offline} and with a {@link
   * TimeoutException} after the timeout. Needs {@link #connect()}.
   */
  public CompletableFuture<ReceivedPacket> request(String dst, String body) throws IOException {
    if (KeepPackets.expectsReply(dst)) {
      throw new IllegalArgumentException(dst + " is answered by the relay; use send()");
    }
    Packet packet = sign(Packet.newBuilder().setDst(dst).setBody(body).build());
    return live().request(packet, dst, timeout);
  }

  /** Answers a {@link #request} from another agent: {@code body} to its src, with its id. */
  public void reply(ReceivedPacket to, String body) throws IOException {
    send(Packet.newBuilder().setDst(to.src()).setId(to.id()).setBody(body).build());
  }

  /**
   * Delivers every packet from other agents, in arrival order, on one delivery thread (so the
   * callback may call {@code send}). Dropped before delivery: heartbeats ({@code typ = 2}, counted
   * by {@link #heartbeats()}), packets with an invalid signature, unsigned packets not from {@code
   * server}, and replies someone is waiting for. Packets that arrived before this call are
   * delivered first (up to 1024). Needs {@link #connect()}; one listener per connection.
   */
  public void listen(Consumer<ReceivedPacket> callback) {
    live().listen(callback);
  }

  /** Heartbeats received on the persistent connection (0 when not connected). */
  public long heartbeats() {
    LiveSession s = session;
    return s == null ? 0 : s.heartbeats();
  }

  /** Packets dropped because of a bad signature, no signature, or a full backlog. */
  public long droppedPackets() {
    LiveSession s = session;
    return s == null ? 0 : s.dropped();
  }

  /**
   * Asks {@code discover:<query>} (keep.md §2.7; {@code info}, {@code agents} or {@code stats})
   * and returns the JSON object the relay answered. Like any packet with a src, the query
   * registers this client's src with the relay.
   *
   * @throws RelayReplyException when the relay answers {@code error:unknown_discovery} or
   *     anything else that is not a JSON object
   */
  public JsonNode discover(String query) throws IOException {
    Packet reply = send(KeepPackets.DISCOVER_PREFIX + query, "").orElseThrow();
    return DiscoveryReplies.object(query, reply.getBody());
  }

  /** The names in {@code discover:agents} (order unspecified). */
  public List<String> discoverAgents() throws IOException {
    return DiscoveryReplies.agents(discover("agents"));
  }

  @Override
  public void close() {
    stateLock.lock();
    try {
      closed = true;
      LiveSession s = session;
      if (s != null) {
        s.close();
      }
    } finally {
      stateLock.unlock();
    }
  }

  @Override
  public String toString() {
    return "RelayClient[src=" + src + ", relay=" + host + ":" + port + ", key="
        + key.publicKey().hex() + ", connected=" + isConnected() + "]";
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("client is closed");
    }
  }

  private LiveSession live() {
    LiveSession s = session;
    if (s == null) {
      throw new IllegalStateException("not connected; call connect() first");
    }
    return s;
  }

  private <T> T await(CompletableFuture<T> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the relay");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof TimeoutException) {
        throw new SocketTimeoutException("no reply from the relay within " + timeout);
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new EOFException("relay exchange failed: " + cause);
    }
  }
}
