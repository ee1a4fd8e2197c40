package dev.handshake.client.relay;

import dev.handshake.relay.KeepPackets;
import dev.handshake.relay.proto.Packet;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A persistent relay connection: one reader thread takes every frame off the socket and sorts it
 * into a reply (matched to a waiting request by packet {@code id}), a heartbeat (counted, dropped)
 * or a delivery for the listener. Matching by id, not by arrival order, is what keeps a forward or
 * heartbeat that lands between a request and its reply from being taken for the reply (the SDK
 * defect of keep.md §2.12).
 */
final class LiveSession {
  /** Packets held for a listener that has not been set yet; beyond this they are dropped. */
  static final int BACKLOG_LIMIT = 1024;

  private final FrameChannel channel;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  // Callbacks run here, in arrival order, so a callback may itself wait for a reply.
  private final ExecutorService deliveries =
      Executors.newSingleThreadExecutor(Thread.ofVirtual().name("relay-deliver").factory());
  private final ReentrantLock listenerLock = new ReentrantLock();
  private final List<ReceivedPacket> backlog = new ArrayList<>();
  private @Nullable Consumer<ReceivedPacket> listener;
  private final LongAdder heartbeats = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();

  /** A request waiting for the packet from {@code peer} that carries its id. */
  private record Pending(String peer, CompletableFuture<ReceivedPacket> reply) {
    boolean answeredBy(ReceivedPacket p) {
      return p.src().equals(peer) || p.fromServer();
    }

    void complete(ReceivedPacket p) {
      if (p.fromServer() && !peer.equals(KeepPackets.SERVER)) {
        // The relay answers a forward only when it could not deliver it (keep.md §2.5, §2.6).
        reply.completeExceptionally(
            new RelayReplyException("relay did not deliver request " + p.id() + " to " + peer,
                p.body()));
      } else {
        reply.complete(p);
      }
    }
  }

  private LiveSession(FrameChannel channel) {
    this.channel = channel;
  }

  static LiveSession start(FrameChannel channel) {
    LiveSession session = new LiveSession(channel);
    Thread.ofVirtual().name("relay-reader").start(session::readLoop);
    return session;
  }

  /**
   * Registers a wait for the packet from {@code peer} with {@code id}, then writes {@code packet}.
   * The returned future fails with a {@link java.util.concurrent.TimeoutException} after {@code
   * timeout} and with an {@link IOException} if the connection ends first.
   */
  CompletableFuture<ReceivedPacket> request(Packet packet, String peer, Duration timeout)
      throws IOException {
    String id = packet.getId();
    Pending wait = new Pending(peer, new CompletableFuture<>());
    if (pending.putIfAbsent(id, wait) != null) {
      throw new IllegalStateException("a request with id " + id + " is already waiting");
    }
    wait.reply().orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .whenComplete((r, e) -> pending.remove(id, wait));
    if (ended.isDone()) {
      wait.reply().completeExceptionally(new EOFException("relay connection is closed"));
      return wait.reply();
    }
    try {
      channel.write(packet);
    } catch (IOException e) {
      wait.reply().completeExceptionally(e);
      throw e;
    }
    return wait.reply();
  }

  /** Writes a packet nobody waits an answer for. */
  void write(Packet packet) throws IOException {
    channel.write(packet);
  }

  void listen(Consumer<ReceivedPacket> callback) {
    listenerLock.lock();
    try {
      if (listener != null) {
        throw new IllegalStateException("a listener is already set");
      }
      listener = callback;
      backlog.forEach(p -> deliveries.execute(() -> callback.accept(p)));
      backlog.clear();
    } finally {
      listenerLock.unlock();
    }
  }

  long heartbeats() {
    return heartbeats.sum();
  }

  long dropped() {
    return dropped.sum();
  }

  /** Completes when the connection ends: normally on {@link #close()} or a clean end of stream. */
  CompletableFuture<Void> ended() {
    return ended;
  }

  boolean isOpen() {
    return !ended.isDone();
  }

  void close() {
    closing.set(true);
    channel.closeQuietly();
  }

  private void readLoop() {
    IOException failure = null;
    try {
      for (Optional<Packet> next = channel.read(); next.isPresent(); next = channel.read()) {
        route(next.get());
      }
    } catch (IOException e) {
      failure = e;
    }
    finish(closing.get() ? null : failure);
  }

  private void route(Packet packet) {
    Optional<ReceivedPacket> checked = ReceivedPacket.check(packet);
    if (checked.isEmpty()) {
      dropped.increment();
      return;
    }
    ReceivedPacket received = checked.get();
    if (received.isHeartbeat()) {
      heartbeats.increment();
      return;
    }
    Pending wait = received.id().isEmpty() ? null : pending.get(received.id());
    if (wait != null && wait.answeredBy(received)) {
      pending.remove(received.id(), wait);
      wait.complete(received);
      return;
    }
    deliver(received);
  }

  private void deliver(ReceivedPacket received) {
    listenerLock.lock();
    try {
      Consumer<ReceivedPacket> callback = listener;
      if (callback != null) {
        deliveries.execute(() -> callback.accept(received));
      } else if (backlog.size() < BACKLOG_LIMIT) {
        backlog.add(received);
      } else {
        dropped.increment();
      }
    } finally {
      listenerLock.unlock();
    }
  }

  private void finish(@Nullable IOException failure) {
    channel.closeQuietly();
    IOException cause =
        failure != null ? failure : new EOFException("relay connection closed");
    pending.values().forEach(p -> p.reply().completeExceptionally(cause));
    pending.clear();
    deliveries.shutdown();
    if (failure == null) {
      ended.complete(null);
    } else {
      ended.completeExceptionally(failure);
    }
  }
}
