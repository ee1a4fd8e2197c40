package dev.handshake.store.postgres;

import dev.handshake.delegation.InMemoryReplayStore;
import dev.handshake.delegation.ReplayStore;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The {@link ReplayStore} on PostgreSQL, shared by every node of one receiver: a packet accepted on
 * one node is a replay on all (trusthandoff.md §3 item 6). Tables {@code delegation_replay}
 * (signer, nonce, until) and {@code delegation_replay_count} (its row count).
 *
 * <p><b>One atomic step.</b> The first sighting is decided by a single statement, {@code INSERT …
 * ON CONFLICT (signer, nonce) DO UPDATE SET until_ms = excluded.until_ms WHERE
 * delegation_replay.until_ms <= now}: a live pair makes it change nothing (a replay); an absent or
 * expired pair is written. PostgreSQL makes the insert-or-update atomic under concurrency, so of
 * any number of threads and nodes racing one pair exactly one sees {@link Outcome#FIRST}. Signer
 * and nonce are stored as UTF-8 {@code bytea}, compared byte for byte, NUL included.
 *
 * <p><b>Bounded.</b> At most {@link Options#maxEntries} rows: a new row increments the counter row
 * with {@code UPDATE … SET n = n + 1 WHERE n < max} in the same transaction. At the bound, expired
 * rows are purged (at most four times {@link Options#purgeInterval}, oldest first, skipping rows
 * another transaction holds) and the increment retried; if still at the bound the whole transaction
 * rolls back and the call answers {@link Outcome#FULL}, never evicting a pair that could still be
 * replayed. Every {@code purgeInterval} calls of one store purge expired rows too. The counter row
 * serialises new pairs across nodes for the length of one short transaction.
 *
 * <p><b>Durability.</b> {@link #checkAndRecord} returns after {@code COMMIT}; with the server's
 * default {@code synchronous_commit=on} a recorded pair survives a crash of the database server. A
 * database failure surfaces as an {@link java.io.UncheckedIOException} ({@link
 * DatabaseUnavailableException} when the server cannot be reached); the receiver must treat it as a
 * rejection, never as a first sighting.
 */
public final class PostgresReplayStore implements ReplayStore {
  static final int PURGE_BATCH_FACTOR = 4;

  /**
   * Settings of one node's replay store.
   *
   * @param maxEntries the most pairs held in the database (default 1,000,000, as {@link
   *     InMemoryReplayStore}); the bound is checked against the shared row count
   * @param purgeInterval expired rows are deleted every this many calls of one store (default
   *     1,024), and when the bound is reached; one purge deletes at most four times this many
   */
  public record Options(long maxEntries, int purgeInterval) {
    public static final Options DEFAULTS =
        new Options(InMemoryReplayStore.DEFAULT_MAX_ENTRIES, 1_024);

    public Options {
      if (maxEntries < 1) {
        throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
      }
      if (purgeInterval < 1) {
        throw new IllegalArgumentException("purgeInterval must be at least 1: " + purgeInterval);
      }
    }

    public Options withMaxEntries(long value) {
      return new Options(value, purgeInterval);
    }

    public Options withPurgeInterval(int value) {
      return new Options(maxEntries, value);
    }
  }

  private static final String UPSERT =
      "INSERT INTO delegation_replay (signer, nonce, until_ms) VALUES (?, ?, ?)"
          + " ON CONFLICT (signer, nonce) DO UPDATE SET until_ms = excluded.until_ms"
          + " WHERE delegation_replay.until_ms <= ?"
          + " RETURNING (xmax = 0)"; // true: a new row; false: an expired row re-used
  private static final String INCREMENT =
      "UPDATE delegation_replay_count SET n = n + 1 WHERE id = 0 AND n < ?";
  private static final String PURGE =
      "WITH gone AS (DELETE FROM delegation_replay WHERE (signer, nonce) IN ("
          + " SELECT signer, nonce FROM delegation_replay WHERE until_ms <= ?"
          + " ORDER BY until_ms LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING 1)"
          + " UPDATE delegation_replay_count SET n = n - (SELECT count(*) FROM gone)"
          + " WHERE id = 0 AND (SELECT count(*) FROM gone) > 0";

  private final PostgresDatabase db;
  private final Options options;
  private final AtomicInteger callsSincePurge = new AtomicInteger();
  private volatile boolean closed;

  private PostgresReplayStore(PostgresDatabase db, Options options) {
    this.db = db;
    this.options = options;
  }

  public static PostgresReplayStore open(PostgresDatabase db) {
    return open(db, Options.DEFAULTS);
  }

  public static PostgresReplayStore open(PostgresDatabase db, Options options) {
    return new PostgresReplayStore(db, options);
  }

  public Options options() {
    return options;
  }

  /** Thrown inside the transaction to roll back a new row that does not fit. */
  private static final class Full extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Full() {
      super("replay store full", null, false, false);
    }
  }

  @Override
  public Outcome checkAndRecord(String signer, String nonce, Instant retainUntil, Instant now) {
    checkOpen();
    long nowMillis = now.toEpochMilli();
    long untilMillis = retainUntil.toEpochMilli();
    byte[] signerKey = signer.getBytes(StandardCharsets.UTF_8);
    byte[] nonceKey = nonce.getBytes(StandardCharsets.UTF_8);
    boolean purgeDue = callsSincePurge.incrementAndGet() >= options.purgeInterval();
    if (purgeDue) {
      callsSincePurge.set(0);
    }
    try {
      return db.inTransaction(
          "delegation replay store: check-and-record",
          c -> {
            @Nullable Boolean inserted;
            try (PreparedStatement s = c.prepareStatement(UPSERT)) {
              s.setBytes(1, signerKey);
              s.setBytes(2, nonceKey);
              s.setLong(3, untilMillis);
              s.setLong(4, nowMillis);
              try (ResultSet rs = s.executeQuery()) {
                inserted = rs.next() ? rs.getBoolean(1) : null;
              }
            }
            Outcome outcome;
            if (inserted == null) {
              outcome = Outcome.REPLAY; // a live pair: nothing changed
            } else if (!inserted) {
              outcome = Outcome.FIRST; // an expired row re-used: the count is unchanged
            } else if (increment(c) || (purge(c, nowMillis) && increment(c))) {
              outcome = Outcome.FIRST;
            } else {
              throw new Full(); // rolls the new row back
            }
            // After the upsert, not before: a purge that took the counter row first and then waited
            // for the pair's row lock could deadlock with a writer holding that row and waiting for
            // the counter. The purge itself skips locked rows, so it never waits for a row.
            if (purgeDue) {
              purge(c, nowMillis);
            }
            return outcome;
          });
    } catch (Full full) {
      return Outcome.FULL;
    }
  }

  /** Unexpired pairs at {@code now}: a read through the index on {@code until_ms}. */
  @Override
  public long size(Instant now) {
    checkOpen();
    return db.withConnection(
        "delegation replay store: size",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT count(*) FROM delegation_replay WHERE until_ms > ?")) {
            s.setLong(1, now.toEpochMilli());
            try (ResultSet rs = s.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  /**
   * Rows held, expired or not, as counted against {@link Options#maxEntries} (for metrics and tests
   * of the purge); reads the counter row, not {@code count(*)}.
   */
  public long storedRows() {
    checkOpen();
    return db.withConnection(
        "delegation replay store: rows",
        c -> {
          try (PreparedStatement s =
                  c.prepareStatement("SELECT n FROM delegation_replay_count WHERE id = 0");
              ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
              throw new SQLException("delegation_replay_count row is missing");
            }
            return rs.getLong(1);
          }
        });
  }

  /** Marks the store closed; the database stays open for the other stores. */
  @Override
  public void close() {
    closed = true;
  }

  private boolean increment(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(INCREMENT)) {
      s.setLong(1, options.maxEntries());
      return s.executeUpdate() == 1;
    }
  }

  /** Deletes up to a batch of expired rows and lowers the count by as many; whether any went. */
  private boolean purge(Connection c, long nowMillis) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(PURGE)) {
      s.setLong(1, nowMillis);
      s.setLong(2, (long) PURGE_BATCH_FACTOR * options.purgeInterval());
      return s.executeUpdate() > 0;
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("delegation replay store is closed");
    }
  }
}
