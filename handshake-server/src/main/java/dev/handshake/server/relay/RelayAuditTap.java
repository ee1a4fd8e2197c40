package dev.handshake.server.relay;

import dev.handshake.audit.AuditRecorder;
import dev.handshake.crypto.Sha256;
import dev.handshake.json.Json;
import dev.handshake.relay.RelayObserver;
import dev.handshake.relay.proto.Packet;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Records every forwarded relay packet as a {@code relay_forwarded} event on the server's audit
 * chain (kind {@code relay}), off the I/O threads.
 *
 * <p>A receipt names sender, destination, packet id and type and carries the SHA-256 of the
 * packet bytes as forwarded — never the body, which stays between the agents. Stamping is durable
 * (one fsync per event), far slower than forwarding, so receipts go through a bounded queue of
 * {@code capacity} packets drained by one thread; when it is full the relay does not wait, the
 * packet is counted instead, and the next receipt says how many were skipped ({@code
 * unrecorded_before}), so a gap in the audit trail is itself on the record.
 */
public final class RelayAuditTap implements RelayObserver, AutoCloseable {
  public static final String EVENT_TYPE = "relay_forwarded";
  public static final int DEFAULT_CAPACITY = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(RelayAuditTap.class);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  private record Forwarded(String src, String dst, Packet packet) {}

  private final AuditRecorder recorder;
  private final BlockingQueue<Forwarded> queue;
  private final AtomicLong unrecorded = new AtomicLong();
  private final AtomicLong recorded = new AtomicLong();
  private final Thread worker;
  private volatile boolean closing;

  private RelayAuditTap(AuditRecorder recorder, int capacity) {
    this.recorder = recorder;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.worker = Thread.ofPlatform().daemon().name("relay-audit").unstarted(this::drain);
  }

  /** Starts a tap that records into {@code recorder} with a queue of {@code capacity} packets. */
  public static RelayAuditTap start(AuditRecorder recorder, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("relay audit queue capacity must be at least 1");
    }
    RelayAuditTap tap = new RelayAuditTap(recorder, capacity);
    tap.worker.start();
    return tap;
  }

  @Override
  public void forwarded(String src, String dst, Packet packet) {
    if (closing || !queue.offer(new Forwarded(src, dst, packet))) {
      unrecorded.incrementAndGet();
    }
  }

  /** Receipts written so far. */
  public long recorded() {
    return recorded.get();
  }

  /** Packets forwarded without a receipt because the queue was full (or the tap closing). */
  public long unrecorded() {
    return unrecorded.get();
  }

  private void drain() {
    while (!closing || !queue.isEmpty()) {
      Forwarded f;
      try {
        f = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (f != null) {
        record(f);
      }
    }
  }

  private void record(Forwarded f) {
    ObjectNode payload = Json.object();
    payload.put("src", f.src());
    payload.put("dst", f.dst());
    payload.put("packet_id", f.packet().getId());
    payload.put("typ", Integer.toUnsignedLong(f.packet().getTyp()));
    payload.put("packet_sha256", HexFormat.of().formatHex(Sha256.digest(f.packet().toByteArray())));
    payload.put("signed", !f.packet().getSig().isEmpty());
    if (!f.packet().getPk().isEmpty()) {
      payload.put("sender_key", HexFormat.of().formatHex(f.packet().getPk().toByteArray()));
    }
    long skipped = unrecorded.getAndSet(0);
    if (skipped > 0) {
      payload.put("unrecorded_before", skipped);
    }
    try {
      if (recorder.record(AuditRecorder.Kind.RELAY, EVENT_TYPE, payload).isPresent()) {
        recorded.incrementAndGet();
      }
    } catch (RuntimeException e) {
      unrecorded.addAndGet(skipped + 1);
      LOG.warn("relay receipt not recorded: {}", e.getMessage());
    }
  }

  /** Records what is queued (waiting up to 10 s), then stops. */
  @Override
  public void close() {
    closing = true;
    try {
      worker.join(CLOSE_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (worker.isAlive()) {
      worker.interrupt();
    }
  }
}
