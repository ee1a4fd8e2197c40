package dev.handshake.store.sqlite;

import dev.handshake.delegation.InMemoryReplayStore;
import dev.handshake.delegation.ReplayStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * The durable {@link ReplayStore}: one SQLite database, {@value #FILE_NAME}, in a data folder,
 * shared by every process of one receiver (trusthandoff.md §3 item 6).
 *
 * <p><b>One atomic step.</b> Each {@link #checkAndRecord} is one {@code BEGIN IMMEDIATE}
 * transaction, which takes the database's single write lock before it reads anything: the count,
 * the upsert {@code INSERT … ON CONFLICT (signer, nonce) DO UPDATE SET until = excluded.until WHERE
 * replay.until <= now} and, at the bound, the purge all see and change one consistent state. So of
 * any number of threads, connections or processes racing one pair, exactly one sees {@link
 * Outcome#FIRST}. A writer waits up to 10 seconds for the lock.
 *
 * <p><b>Bounded.</b> At most {@link Options#maxEntries} unexpired pairs: the row count is kept by
 * triggers in a one-row table (reading it costs nothing, unlike {@code count(*)}); when it reaches
 * the bound, expired rows are purged through the index on {@code until} and, if none was expired,
 * the new pair is refused with {@link Outcome#FULL} rather than evicting a pair that could still be
 * replayed. Expired rows are also purged every {@link Options#purgeInterval} calls so the file
 * stays near the live set. One purge deletes at most four times {@code purgeInterval} rows, oldest
 * first, so no single call holds the write lock for long even after a burst of pairs expires at
 * once; one freed row is all a new pair needs.
 *
 * <p><b>Durability.</b> WAL journal with {@code synchronous} {@link Synchronous#NORMAL} by default:
 * a commit is written to the write-ahead log (the OS page cache) but not {@code fsync}ed, so a
 * killed or crashed process loses nothing it acknowledged; an OS crash or power cut may lose the
 * last commits (never corrupting the file), after which those packets could be replayed until they
 * expire. {@link Synchronous#FULL} closes that gap at the price of one {@code fsync} per recorded
 * pair.
 *
 * <p>A database failure (disk full, lock wait exceeded) surfaces as an {@link
 * UncheckedIOException}; the receiver must treat it as a rejection, never as a first sighting.
 */
public final class SqliteReplayStore implements ReplayStore {
  public static final String FILE_NAME = "delegation-replay.db";
  static final int BUSY_TIMEOUT_MS = 10_000;
  /** The schema this build reads and writes; a file with another version is refused. */
  public static final int SCHEMA_VERSION = 1;
  static final int PURGE_BATCH_FACTOR = 4;

  /** How far a commit is pushed to disk before {@link #checkAndRecord} returns. */
  public enum Synchronous {
    /** Survives a process crash; the last commits may be lost on power loss (the default). */
    NORMAL,
    /** Survives power loss too: one {@code fsync} of the write-ahead log per recorded pair. */
    FULL
  }

  /**
   * Settings of one replay database.
   *
   * @param maxEntries the most unexpired pairs held (default 1,000,000, as {@link
   *     InMemoryReplayStore}); a pair costs about 50 bytes plus twice its signer and nonce lengths
   *     (they are also in the expiry index): ≈ 170 bytes for reference-style nonces
   * @param synchronous the durability of a commit (default {@link Synchronous#NORMAL})
   * @param purgeInterval expired rows are deleted every this many calls of one store (default
   *     1,024), and when the bound is reached; one purge deletes at most four times this many
   */
  public record Options(long maxEntries, Synchronous synchronous, int purgeInterval) {
    public static final Options DEFAULTS =
        new Options(InMemoryReplayStore.DEFAULT_MAX_ENTRIES, Synchronous.NORMAL, 1_024);

    public Options {
      if (maxEntries < 1) {
        throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
      }
      if (purgeInterval < 1) {
        throw new IllegalArgumentException("purgeInterval must be at least 1: " + purgeInterval);
      }
    }

    public Options withMaxEntries(long value) {
      return new Options(value, synchronous, purgeInterval);
    }

    public Options withSynchronous(Synchronous value) {
      return new Options(maxEntries, value, purgeInterval);
    }

    public Options withPurgeInterval(int value) {
      return new Options(maxEntries, synchronous, value);
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Connection connection;
  private final Path file;
  private final Options options;
  private final PreparedStatement begin;
  private final PreparedStatement commit;
  private final PreparedStatement rollback;
  private final PreparedStatement readCount;
  private final PreparedStatement upsert;
  private final PreparedStatement select;
  private final PreparedStatement purge;
  private final PreparedStatement countLive;
  private int callsSincePurge; // guarded by lock
  private boolean closed; // guarded by lock

  private SqliteReplayStore(Connection connection, Path file, Options options) throws SQLException {
    this.connection = connection;
    this.file = file;
    this.options = options;
    try (Statement s = connection.createStatement()) {
      SqliteDatabases.requirePragma(s, "journal_mode", "wal");
      SqliteDatabases.requirePragma(
          s, "synchronous", options.synchronous() == Synchronous.FULL ? "2" : "1");
      createSchema(s, file);
    }
    begin = connection.prepareStatement("BEGIN IMMEDIATE");
    commit = connection.prepareStatement("COMMIT");
    rollback = connection.prepareStatement("ROLLBACK");
    readCount = connection.prepareStatement("SELECT n FROM replay_count WHERE id = 0");
    upsert =
        connection.prepareStatement(
            "INSERT INTO replay (signer, nonce, until) VALUES (?, ?, ?)"
                + " ON CONFLICT (signer, nonce) DO UPDATE SET until = excluded.until"
                + " WHERE replay.until <= ?");
    select =
        connection.prepareStatement(
            "SELECT 1 FROM replay WHERE signer = ? AND nonce = ? AND until > ?");
    purge =
        connection.prepareStatement(
            "DELETE FROM replay WHERE (signer, nonce) IN (SELECT signer, nonce FROM replay"
                + " WHERE until <= ? ORDER BY until LIMIT ?)");
    countLive = connection.prepareStatement("SELECT count(*) FROM replay WHERE until > ?");
  }

  /**
   * Creates the tables in one write transaction, so two processes opening a new file at once do not
   * both initialise the counter.
   */
  private static void createSchema(Statement s, Path file) throws SQLException {
    s.executeUpdate("BEGIN IMMEDIATE");
    try {
      int version = intPragma(s, "user_version");
      if (version == 0) {
        s.executeUpdate(
            "CREATE TABLE replay ("
                + " signer TEXT NOT NULL, nonce TEXT NOT NULL, until INTEGER NOT NULL,"
                + " PRIMARY KEY (signer, nonce)) STRICT, WITHOUT ROWID");
        s.executeUpdate("CREATE INDEX replay_until ON replay (until)");
        s.executeUpdate(
            "CREATE TABLE replay_count ("
                + " id INTEGER PRIMARY KEY CHECK (id = 0), n INTEGER NOT NULL) STRICT");
        s.executeUpdate("INSERT INTO replay_count (id, n) VALUES (0, 0)");
        s.executeUpdate(
            "CREATE TRIGGER replay_added AFTER INSERT ON replay"
                + " BEGIN UPDATE replay_count SET n = n + 1 WHERE id = 0; END");
        s.executeUpdate(
            "CREATE TRIGGER replay_removed AFTER DELETE ON replay"
                + " BEGIN UPDATE replay_count SET n = n - 1 WHERE id = 0; END");
        s.executeUpdate("PRAGMA user_version = " + SCHEMA_VERSION);
      } else if (version != SCHEMA_VERSION) {
        throw new IllegalStateException(
            "delegation replay store "
                + file
                + " has schema version "
                + version
                + "; this build reads version "
                + SCHEMA_VERSION);
      }
      s.executeUpdate("COMMIT");
    } catch (SQLException | RuntimeException e) {
      try {
        s.executeUpdate("ROLLBACK");
      } catch (SQLException ignored) {
        // the first failure is the one worth reporting
      }
      throw e;
    }
  }

  /** Opens (creating if needed) {@code directory}/{@value #FILE_NAME} with default options. */
  public static SqliteReplayStore open(Path directory) throws IOException {
    return open(directory, Options.DEFAULTS);
  }

  /**
   * Opens (creating if needed) {@code directory}/{@value #FILE_NAME}; the file is made owner-only
   * first.
   *
   * @throws IOException if the folder or the file cannot be created or opened, or the file is not a
   *     SQLite database
   * @throws IllegalStateException if the database was written with another schema version
   */
  public static SqliteReplayStore open(Path directory, Options options) throws IOException {
    Path file = directory.resolve(FILE_NAME);
    SQLiteConfig config =
        SqliteDatabases.walConfig(
            options.synchronous() == Synchronous.FULL
                ? SQLiteConfig.SynchronousMode.FULL
                : SQLiteConfig.SynchronousMode.NORMAL,
            BUSY_TIMEOUT_MS);
    if (options.synchronous() == Synchronous.FULL) {
      config.setPragma(SQLiteConfig.Pragma.FULL_SYNC, "true"); // macOS: flush the drive cache
    }
    return SqliteDatabases.open(
        directory,
        FILE_NAME,
        config,
        "delegation replay store",
        c -> new SqliteReplayStore(c, file, options));
  }

  @Override
  public Outcome checkAndRecord(String signer, String nonce, Instant retainUntil, Instant now) {
    long nowMillis = now.toEpochMilli();
    long untilMillis = retainUntil.toEpochMilli();
    lock.lock();
    try {
      checkOpen();
      return inTransaction(
          () -> {
            if (++callsSincePurge >= options.purgeInterval()) {
              purgeExpired(nowMillis);
            }
            long rows = rowCount();
            if (rows >= options.maxEntries()) {
              purgeExpired(nowMillis);
              rows = rowCount();
            }
            if (rows < options.maxEntries()) {
              upsert.setString(1, signer);
              upsert.setString(2, nonce);
              upsert.setLong(3, untilMillis);
              upsert.setLong(4, nowMillis);
              return upsert.executeUpdate() == 1 ? Outcome.FIRST : Outcome.REPLAY;
            }
            // At the bound every row left is unexpired: a replay is still reported as one.
            select.setString(1, signer);
            select.setString(2, nonce);
            select.setLong(3, nowMillis);
            try (ResultSet rs = select.executeQuery()) {
              return rs.next() ? Outcome.REPLAY : Outcome.FULL;
            }
          },
          "check-and-record");
    } finally {
      lock.unlock();
    }
  }

  /** Unexpired pairs at {@code now}: a read through the index on {@code until}; purges nothing. */
  @Override
  public long size(Instant now) {
    lock.lock();
    try {
      checkOpen();
      countLive.setLong(1, now.toEpochMilli());
      try (ResultSet rs = countLive.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw failure("size", e);
    } finally {
      lock.unlock();
    }
  }

  /** The options this store was opened with. */
  public Options options() {
    return options;
  }

  /** Rows in the file, expired or not, without purging (diagnostics and tests of the purge). */
  public long storedRows() {
    lock.lock();
    try {
      checkOpen();
      return inTransaction(this::rowCount, "count");
    } finally {
      lock.unlock();
    }
  }

  /** The connection's {@code PRAGMA synchronous} level: 1 NORMAL, 2 FULL (diagnostics, tests). */
  public int synchronousLevel() {
    lock.lock();
    try (Statement s = connection.createStatement()) {
      checkOpen();
      return intPragma(s, "synchronous");
    } catch (SQLException e) {
      throw failure("reading PRAGMA synchronous", e);
    } finally {
      lock.unlock();
    }
  }

  /** Closes the database; idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (!closed) {
        closed = true;
        connection.close();
      }
    } catch (SQLException e) {
      throw failure("close", e);
    } finally {
      lock.unlock();
    }
  }

  private interface Work<T> {
    T run() throws SQLException;
  }

  private <T> T inTransaction(Work<T> work, String what) {
    try {
      begin.executeUpdate();
    } catch (SQLException e) {
      throw failure(what, e);
    }
    boolean committed = false;
    try {
      T result = work.run();
      commit.executeUpdate();
      committed = true;
      return result;
    } catch (SQLException e) {
      throw failure(what, e);
    } finally {
      if (!committed) {
        rollbackQuietly(); // never leave the write lock held, whatever was thrown
      }
    }
  }

  private long rowCount() throws SQLException {
    try (ResultSet rs = readCount.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("replay_count row is missing");
      }
      return rs.getLong(1);
    }
  }

  private void purgeExpired(long nowMillis) throws SQLException {
    purge.setLong(1, nowMillis);
    purge.setLong(2, (long) PURGE_BATCH_FACTOR * options.purgeInterval());
    purge.executeUpdate();
    callsSincePurge = 0;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("delegation replay store is closed: " + file);
    }
  }

  private void rollbackQuietly() {
    try {
      rollback.executeUpdate();
    } catch (SQLException ignored) {
      // no transaction left to roll back, or the connection is gone: the caller reports the cause
    }
  }

  private UncheckedIOException failure(String what, SQLException e) {
    return new UncheckedIOException(
        new IOException(
            "delegation replay store " + file + ": " + what + " failed: " + e.getMessage(), e));
  }

  private static int intPragma(Statement s, String name) throws SQLException {
    try (ResultSet rs = s.executeQuery("PRAGMA " + name)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
