package dev.handshake.store.sqlite;

import dev.handshake.audit.log.LeafBatches;
import dev.handshake.audit.log.LogConfig;
import dev.handshake.audit.log.LogStore;
import dev.handshake.audit.log.LogStoreException;
import dev.handshake.audit.log.Sha256Hash;
import dev.handshake.audit.log.TransparencyLog;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * The durable {@link LogStore}: one SQLite database file, {@value #FILE_NAME}, in a data folder.
 *
 * <p><b>Durability.</b> The database runs in WAL mode with {@code synchronous=FULL}: every commit
 * appends to the write-ahead log and {@code fsync}s it before {@code COMMIT} returns, so an append
 * that returned is on stable storage and survives a process kill or a power cut. The default for
 * WAL, {@code NORMAL}, syncs only at checkpoints: it survives a killed process (the data sits in
 * the OS page cache) but may lose the last commits on power loss, which would let the log forget
 * leaves it has already acknowledged, and perhaps put into signed checkpoints. That is the one
 * failure a transparency log must not have, so each append pays one {@code fsync} ({@link
 * #appendAll} amortises it over a batch). {@code fullfsync} is also on, which matters on macOS
 * where a plain {@code fsync} does not flush the drive's cache.
 *
 * <p><b>One writer.</b> The connection uses {@code locking_mode=EXCLUSIVE}, so a second process
 * cannot open the same log and append at the same indexes; within the process one connection is
 * shared behind a lock (appends are serialised by {@link TransparencyLog} anyway, and proofs are
 * served from memory, not from here).
 *
 * <p><b>Temporary files.</b> sqlite-jdbc extracts its native library to {@code org.sqlite.tmpdir};
 * when that system property is unset, {@link #open} sets it to the data folder so the server never
 * needs a writable, executable {@code /tmp}. It is process-wide and read once (see {@link
 * SqliteDatabases}).
 */
public final class SqliteLogStore implements LogStore {
  public static final String FILE_NAME = "transparency-log.db";
  private static final int SCHEMA_VERSION = 1;

  private final ReentrantLock lock = new ReentrantLock();
  private final Connection connection;
  private final PreparedStatement insert;
  private final PreparedStatement selectHash;
  private final PreparedStatement selectHashes;
  private final PreparedStatement selectEntry;
  private final int maxEntryBytes;
  private final Path file;
  private long size; // guarded by lock
  private boolean closed; // guarded by lock

  private SqliteLogStore(Connection connection, Path file, int maxEntryBytes) throws SQLException {
    this.connection = connection;
    this.file = file;
    this.maxEntryBytes = maxEntryBytes;
    try (Statement s = connection.createStatement()) {
      s.executeUpdate(
          "CREATE TABLE IF NOT EXISTS leaf ("
              + " idx INTEGER PRIMARY KEY,"
              + " leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32),"
              + " entry BLOB NOT NULL"
              + ") STRICT");
      SqliteDatabases.requireSchemaVersion(s, SCHEMA_VERSION, "transparency log");
      SqliteDatabases.requirePragma(s, "journal_mode", "wal");
      SqliteDatabases.requirePragma(s, "synchronous", "2"); // FULL
      try (ResultSet rs = s.executeQuery("SELECT count(*), coalesce(max(idx) + 1, 0) FROM leaf")) {
        rs.next();
        long count = rs.getLong(1);
        size = rs.getLong(2);
        if (count != size) {
          throw new SQLException(
              "leaf indexes have gaps: " + count + " rows but highest index " + (size - 1));
        }
      }
    }
    insert =
        connection.prepareStatement("INSERT INTO leaf (idx, leaf_hash, entry) VALUES (?, ?, ?)");
    selectHash = connection.prepareStatement("SELECT leaf_hash FROM leaf WHERE idx = ?");
    selectHashes =
        connection.prepareStatement(
            "SELECT leaf_hash FROM leaf WHERE idx >= ? AND idx < ? ORDER BY idx");
    selectEntry = connection.prepareStatement("SELECT entry FROM leaf WHERE idx = ?");
  }

  /**
   * Opens (creating if needed) the log in {@code directory}/{@value #FILE_NAME}.
   *
   * @throws LogStoreException if the folder or database cannot be opened, another process holds it,
   *     or its rows are not a gap-free log
   */
  public static SqliteLogStore open(Path directory, LogConfig config) {
    Path file = directory.resolve(FILE_NAME);
    SQLiteConfig sqlite = SqliteDatabases.walConfig(SQLiteConfig.SynchronousMode.FULL, 1_000);
    sqlite.setPragma(SQLiteConfig.Pragma.FULL_SYNC, "true");
    sqlite.setLockingMode(SQLiteConfig.LockingMode.EXCLUSIVE);
    try {
      return SqliteDatabases.open(
          directory,
          FILE_NAME,
          sqlite,
          "transparency log",
          c -> new SqliteLogStore(c, file, config.maxEntryBytes()));
    } catch (IOException e) {
      throw new LogStoreException("cannot open transparency log " + file, e);
    }
  }

  /** Opens the log in {@code directory} with {@link LogConfig#DEFAULTS}. */
  public static SqliteLogStore open(Path directory) {
    return open(directory, LogConfig.DEFAULTS);
  }

  @Override
  public long appendAll(List<byte[]> entries, List<Sha256Hash> leafHashes) {
    LeafBatches.check(entries, leafHashes, maxEntryBytes);
    lock.lock();
    try {
      checkOpen();
      long first = size;
      try {
        connection.setAutoCommit(false);
        for (int i = 0; i < entries.size(); i++) {
          insert.setLong(1, first + i);
          insert.setBytes(2, leafHashes.get(i).bytes());
          insert.setBytes(3, entries.get(i));
          insert.addBatch();
        }
        insert.executeBatch();
        connection.commit(); // returns after the WAL fsync (synchronous=FULL)
      } catch (SQLException e) {
        rollbackQuietly();
        restoreAutoCommit();
        resyncSize();
        throw new LogStoreException("append to " + file + " failed", e);
      }
      restoreAutoCommit();
      size = first + entries.size();
      return first;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long size() {
    lock.lock();
    try {
      checkOpen();
      return size;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Sha256Hash leafHash(long index) {
    return Sha256Hash.of(readBlob(selectHash, index, "leaf hash"));
  }

  @Override
  public List<Sha256Hash> leafHashes(long start, int count) {
    lock.lock();
    try {
      checkOpen();
      List<Sha256Hash> hashes = new ArrayList<>(Math.max(0, (int) Math.min(count, size - start)));
      selectHashes.setLong(1, start);
      selectHashes.setLong(2, start + Math.max(count, 0));
      try (ResultSet rs = selectHashes.executeQuery()) {
        while (rs.next()) {
          hashes.add(Sha256Hash.of(rs.getBytes(1)));
        }
      }
      return hashes;
    } catch (SQLException e) {
      throw new LogStoreException("reading leaf hashes from " + file + " failed", e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public byte[] entry(long index) {
    return readBlob(selectEntry, index, "entry");
  }

  @Override
  public int maxEntryBytes() {
    return maxEntryBytes;
  }

  /** Closes the database; the WAL is checkpointed into the main file and removed. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (!closed) {
        closed = true;
        connection.close();
      }
    } catch (SQLException e) {
      throw new LogStoreException("closing " + file + " failed", e);
    } finally {
      lock.unlock();
    }
  }

  private byte[] readBlob(PreparedStatement query, long index, String what) {
    lock.lock();
    try {
      checkOpen();
      Objects.checkIndex(index, size);
      query.setLong(1, index);
      try (ResultSet rs = query.executeQuery()) {
        if (!rs.next()) {
          throw new LogStoreException(what + " " + index + " missing from " + file);
        }
        return rs.getBytes(1);
      }
    } catch (SQLException e) {
      throw new LogStoreException("reading " + what + " " + index + " from " + file + " failed", e);
    } finally {
      lock.unlock();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("log store is closed: " + file);
    }
  }

  private void rollbackQuietly() {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the append already failed; its exception is the one worth reporting
    }
  }

  /**
   * After a failed commit the rows may or may not have reached the disk (an fsync error leaves that
   * open), so the size is read back instead of assumed; if even that fails, the store stops
   * accepting appends rather than guess an index.
   */
  private void resyncSize() {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT coalesce(max(idx) + 1, 0) FROM leaf")) {
      rs.next();
      size = rs.getLong(1);
    } catch (SQLException e) {
      closed = true;
      SqliteDatabases.closeQuietly(connection);
    }
  }

  private void restoreAutoCommit() {
    try {
      connection.setAutoCommit(true);
    } catch (SQLException ignored) {
      // the next append's setAutoCommit(false) or commit reports a broken connection
    }
  }
}
