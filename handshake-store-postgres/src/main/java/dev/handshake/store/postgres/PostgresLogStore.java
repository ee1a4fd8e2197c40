package dev.handshake.store.postgres;

import dev.handshake.audit.log.LogConfig;
import dev.handshake.audit.log.LogStore;
import dev.handshake.audit.log.LogStoreException;
import dev.handshake.audit.log.Sha256Hash;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The {@link LogStore} on PostgreSQL: table {@code tlog_leaf}, one row per leaf at index 0, 1, 2, …
 * with no gaps.
 *
 * <p><b>One writer.</b> Like the SQLite store, which locks its file exclusively, a log has one
 * writer: the {@code TransparencyLog} keeps its Merkle tree in memory and would sign heads that
 * miss another writer's leaves. Here the store remembers the size it has written to, inserts a
 * batch at exactly the next indexes, and a second writer on the same table collides on the primary
 * key: its append fails with {@link LogStoreException} (nothing of the batch is stored) instead of
 * interleaving. Within the process one lock serialises appends.
 *
 * <p><b>Durable on return.</b> A batch is one transaction; {@link #appendAll} returns after {@code
 * COMMIT} (WAL flushed with the server's default {@code synchronous_commit=on}).
 */
public final class PostgresLogStore implements LogStore {
  private final ReentrantLock lock = new ReentrantLock();
  private final PostgresDatabase db;
  private final int maxEntryBytes;
  private long size; // guarded by lock
  private boolean closed; // guarded by lock

  private PostgresLogStore(PostgresDatabase db, int maxEntryBytes, long size) {
    this.db = db;
    this.maxEntryBytes = maxEntryBytes;
    this.size = size;
  }

  /**
   * The log in {@code db}; checks that the stored leaves have no gaps.
   *
   * @throws LogStoreException when the database cannot be read or the leaves have gaps
   */
  public static PostgresLogStore open(PostgresDatabase db, LogConfig config) {
    try {
      long size =
          db.withConnection(
              "transparency log: open",
              c -> {
                try (PreparedStatement s =
                        c.prepareStatement(
                            "SELECT count(*), coalesce(max(idx) + 1, 0) FROM tlog_leaf");
                    ResultSet rs = s.executeQuery()) {
                  rs.next();
                  long count = rs.getLong(1);
                  long next = rs.getLong(2);
                  if (count != next) {
                    throw new SQLException(
                        "leaf indexes have gaps: "
                            + count
                            + " rows but highest index "
                            + (next - 1));
                  }
                  return next;
                }
              });
      return new PostgresLogStore(db, config.maxEntryBytes(), size);
    } catch (UncheckedIOException e) {
      throw new LogStoreException(
          "cannot open the transparency log at " + db.config().address(), e);
    }
  }

  /** The log in {@code db} with {@link LogConfig#DEFAULTS}. */
  public static PostgresLogStore open(PostgresDatabase db) {
    return open(db, LogConfig.DEFAULTS);
  }

  @Override
  public long appendAll(List<byte[]> entries, List<Sha256Hash> leafHashes) {
    checkBatch(entries, leafHashes);
    lock.lock();
    try {
      checkOpen();
      long first = size;
      try {
        db.inTransaction(
            "transparency log: append",
            c -> {
              try (PreparedStatement insert =
                  c.prepareStatement(
                      "INSERT INTO tlog_leaf (idx, leaf_hash, entry) VALUES (?, ?, ?)")) {
                for (int i = 0; i < entries.size(); i++) {
                  insert.setLong(1, first + i);
                  insert.setBytes(2, leafHashes.get(i).bytes());
                  insert.setBytes(3, entries.get(i));
                  insert.addBatch();
                }
                insert.executeBatch();
              }
              return null;
            });
      } catch (UncheckedIOException e) {
        resyncSize();
        if (uniqueViolation(e)) {
          throw new LogStoreException(
              "another writer appended to the transparency log at index "
                  + first
                  + "; a log has one writer",
              e);
        }
        throw new LogStoreException("append to the transparency log failed: " + e.getMessage(), e);
      }
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
    return Sha256Hash.of(readBlob("leaf_hash", index));
  }

  @Override
  public List<Sha256Hash> leafHashes(long start, int count) {
    size(); // refuses when closed
    long end = start + Math.max(count, 0);
    try {
      return db.withConnection(
          "transparency log: leaf hashes",
          c -> {
            List<Sha256Hash> hashes = new ArrayList<>();
            try (PreparedStatement s =
                c.prepareStatement(
                    "SELECT leaf_hash FROM tlog_leaf WHERE idx >= ? AND idx < ? ORDER BY idx")) {
              s.setLong(1, start);
              s.setLong(2, end);
              try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                  hashes.add(Sha256Hash.of(rs.getBytes(1)));
                }
              }
            }
            return hashes;
          });
    } catch (UncheckedIOException e) {
      throw new LogStoreException("reading leaf hashes failed: " + e.getMessage(), e);
    }
  }

  @Override
  public byte[] entry(long index) {
    return readBlob("entry", index);
  }

  @Override
  public int maxEntryBytes() {
    return maxEntryBytes;
  }

  /** Marks the store closed; the database stays open for the other stores. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
    } finally {
      lock.unlock();
    }
  }

  private byte[] readBlob(String column, long index) {
    lock.lock();
    try {
      checkOpen();
      Objects.checkIndex(index, size);
    } finally {
      lock.unlock();
    }
    try {
      return db.withConnection(
          "transparency log: read " + column,
          c -> {
            try (PreparedStatement s =
                c.prepareStatement("SELECT " + column + " FROM tlog_leaf WHERE idx = ?")) {
              s.setLong(1, index);
              try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                  throw new SQLException(column + " " + index + " is missing");
                }
                return rs.getBytes(1);
              }
            }
          });
    } catch (UncheckedIOException e) {
      throw new LogStoreException(
          "reading " + column + " " + index + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * After a failed append the rows may or may not have been committed (a connection lost during
   * {@code COMMIT} leaves that open), so the size is read back instead of assumed; if even that
   * fails the store refuses further appends rather than guess an index.
   */
  private void resyncSize() {
    try {
      size =
          db.withConnection(
              "transparency log: size",
              c -> {
                try (PreparedStatement s =
                        c.prepareStatement("SELECT coalesce(max(idx) + 1, 0) FROM tlog_leaf");
                    ResultSet rs = s.executeQuery()) {
                  rs.next();
                  return rs.getLong(1);
                }
              });
    } catch (UncheckedIOException e) {
      closed = true;
    }
  }

  private static boolean uniqueViolation(UncheckedIOException e) {
    for (@Nullable Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        for (@Nullable SQLException s = sql; s != null; s = s.getNextException()) {
          if (PostgresDatabase.isUniqueViolation(s)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private void checkBatch(List<byte[]> entries, List<Sha256Hash> leafHashes) {
    if (entries.isEmpty() || entries.size() != leafHashes.size()) {
      throw new IllegalArgumentException(
          "need the same non-zero number of entries and leaf hashes, got "
              + entries.size()
              + " and "
              + leafHashes.size());
    }
    for (byte[] entry : entries) {
      if (entry.length > maxEntryBytes) {
        throw new IllegalArgumentException(
            "entry of " + entry.length + " bytes exceeds the limit of " + maxEntryBytes);
      }
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("transparency log store is closed");
    }
  }
}
