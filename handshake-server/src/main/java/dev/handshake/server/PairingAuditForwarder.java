package dev.handshake.server;

import dev.handshake.audit.AuditRecorder;
import dev.handshake.json.Json;
import dev.handshake.pairing.PairingEvent;
import dev.handshake.pairing.PairingStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Copies pairing events into the server's signed audit chain (pairing.md §3.2 rule 6): every
 * {@code pairing.*} change — made by the server or by the CLI in another process, since both write
 * the store's event log — becomes one {@code kind: pairing} audit event with the actor. A cursor
 * file ({@value #CURSOR_FILE}) remembers the last event copied; a crash between copying and saving
 * it copies at most one batch again (each audit payload carries the event's {@code seq}, so a
 * reader can tell).
 */
public final class PairingAuditForwarder implements AutoCloseable {
  public static final String CURSOR_FILE = "pairing-audit.cursor";
  static final int BATCH = 500;
  private static final Logger LOG = LoggerFactory.getLogger(PairingAuditForwarder.class);

  private final PairingStore store;
  private final AuditRecorder recorder;
  private final Path cursorFile;
  private final ScheduledExecutorService timer;
  private long cursor;

  private PairingAuditForwarder(PairingStore store, AuditRecorder recorder, Path cursorFile, long cursor) {
    this.store = store;
    this.recorder = recorder;
    this.cursorFile = cursorFile;
    this.cursor = cursor;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "pairing-audit");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts copying every {@code periodMillis}. */
  public static PairingAuditForwarder start(
      PairingStore store, AuditRecorder recorder, Path dataDir, long periodMillis) throws IOException {
    Path file = dataDir.resolve(CURSOR_FILE);
    long cursor = 0;
    if (Files.exists(file)) {
      try {
        cursor = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip());
      } catch (NumberFormatException e) {
        throw new IOException(file + " does not hold a number; delete it to copy all events again");
      }
    }
    PairingAuditForwarder f = new PairingAuditForwarder(store, recorder, file, cursor);
    f.timer.scheduleWithFixedDelay(f::forwardQuietly, 0, periodMillis, TimeUnit.MILLISECONDS);
    return f;
  }

  private void forwardQuietly() {
    try {
      forward();
    } catch (RuntimeException | IOException e) {
      LOG.warn("copying pairing events to the audit log failed; retrying: {}", e.toString());
    }
  }

  /** Copies what is new; returns how many events were copied. */
  public synchronized int forward() throws IOException {
    int copied = 0;
    List<PairingEvent> batch;
    do {
      batch = store.events(cursor, BATCH);
      for (PairingEvent e : batch) {
        ObjectNode payload = Json.object();
        payload.put("seq", e.seq());
        payload.put("request_id", e.requestId());
        payload.put("channel", e.requester().channelType());
        payload.put("account", e.requester().accountId());
        payload.put("sender", e.requester().senderId());
        payload.put("actor", e.actor());
        payload.put("at", e.at().toString());
        recorder.record(AuditRecorder.Kind.PAIRING, e.type().wireName(), payload);
        cursor = e.seq();
        copied++;
      }
      if (!batch.isEmpty()) {
        save();
      }
    } while (batch.size() == BATCH);
    return copied;
  }

  private void save() throws IOException {
    Path temp = cursorFile.resolveSibling(CURSOR_FILE + ".tmp");
    Files.writeString(temp, Long.toString(cursor), StandardCharsets.US_ASCII);
    Files.move(temp, cursorFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
      forward();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      LOG.warn("last copy of pairing events failed: {}", e.toString());
    }
  }
}
