package dev.handshake.store.postgres;

import dev.handshake.audit.log.LogConfig;
import dev.handshake.audit.log.LogStore;
import dev.handshake.audit.log.LogStoreException;
import dev.handshake.audit.log.Sha256Hash;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The {@link LogStore} on PostgreSQL: table {@code tlog_leaf}, one row per leaf of a named log, at
 * index 0, 1, 2, … per name with no gaps. Several logs share the table: each server node on the
 * database writes its own (the server names it after its checkpoint origin), and a log opened
 * without a name is the log named {@code ""}.
 *
 * <p><b>One writer per log.</b> Like the SQLite store, which locks its file exclusively, a log has
 * one writer: the {@code TransparencyLog} keeps its Merkle tree in memory and would sign heads that
 * miss another writer's leaves. Here the store remembers the size it has written to, inserts a
 * batch at exactly the next indexes of its name, and a second writer on the same name collides on
 * the primary key {@code (log_name, idx)}: its append fails with {@link LogStoreException}
 * (nothing of the batch is stored) instead of interleaving. Writers of different names never
 * collide. Within the process one lock serialises appends.
 *
 * <p><b>Durable on return.</b> A batch is one transaction; {@link #appendAll} returns after {@code
 * COMMIT} (WAL flushed with the server's default {@code synchronous_commit=on}).
 *
 * <p><b>Outages.</b> A failed append leaves the size unknown (the {@code COMMIT} may or may not have
 * happened); it is read back from the database before the next call, so once the server is back the
 * store works again without being reopened.
 */
public final class PostgresLogStore implements LogStore {
  /** The longest log name, in UTF-8 bytes (a {@code CHECK} of the table). */
  public static final int MAX_NAME_BYTES = 255;

  /** The name of the log that {@link #open(PostgresDatabase, LogConfig)} opens. */
  public static final String DEFAULT_NAME = "";

  private static final long UNKNOWN = -1;

  private final ReentrantLock lock = new ReentrantLock();
  private final PostgresDatabase db;
  private final String name;
  private final int maxEntryBytes;
  private long size; // guarded by lock; UNKNOWN after a failed append until read back
  private boolean closed; // guarded by lock

  private PostgresLogStore(PostgresDatabase db, String name, int maxEntryBytes, long size) {
    this.db = db;
    this.name = name;
    this.maxEntryBytes = maxEntryBytes;
    this.size = size;
  }

  /**
   * The log named {@code name} in {@code db} (empty until its first append); checks that its
   * stored leaves have no gaps.
   *
   * @throws IllegalArgumentException when the name is longer than {@value #MAX_NAME_BYTES} UTF-8
   *     bytes or holds U+0000 (which PostgreSQL {@code text} cannot store)
   * @throws LogStoreException when the database cannot be read or the leaves have gaps
   */
  public static PostgresLogStore open(PostgresDatabase db, String name, LogConfig config) {
    checkName(name);
    try {
      long size =
          db.withConnection(
              "transparency log: open",
              c -> {
                try (PreparedStatement s =
                    c.prepareStatement(
                        "SELECT count(*), coalesce(max(idx) + 1, 0) FROM tlog_leaf"
                            + " WHERE log_name = ?")) {
                  s.setString(1, name);
                  try (ResultSet rs = s.executeQuery()) {
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
                }
              });
      return new PostgresLogStore(db, name, config.maxEntryBytes(), size);
    } catch (UncheckedIOException e) {
      throw new LogStoreException(
          "cannot open the transparency log '" + name + "' at " + db.config().address(), e);
    }
  }

  /** The log named {@code name} in {@code db} with {@link LogConfig#DEFAULTS}. */
  public static PostgresLogStore open(PostgresDatabase db, String name) {
    return open(db, name, LogConfig.DEFAULTS);
  }

  /** The log named {@value #DEFAULT_NAME} (the one log of a single-node deployment). */
  public static PostgresLogStore open(PostgresDatabase db, LogConfig config) {
    return open(db, DEFAULT_NAME, config);
  }

  /** The log named {@value #DEFAULT_NAME} with {@link LogConfig#DEFAULTS}. */
  public static PostgresLogStore open(PostgresDatabase db) {
    return open(db, DEFAULT_NAME, LogConfig.DEFAULTS);
  }

  /** The log's name (its rows' {@code log_name}). */
  public String name() {
    return name;
  }

  @Override
  public long appendAll(List<byte[]> entries, List<Sha256Hash> leafHashes) {
    checkBatch(entries, leafHashes);
    lock.lock();
    try {
      checkOpen();
      long first = knownSize();
      try {
        db.inTransaction(
            "transparency log: append",
            c -> {
              try (PreparedStatement insert =
                  c.prepareStatement(
                      "INSERT INTO tlog_leaf (log_name, idx, leaf_hash, entry) VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < entries.size(); i++) {
                  insert.setString(1, name);
                  insert.setLong(2, first + i);
                  insert.setBytes(3, leafHashes.get(i).bytes());
                  insert.setBytes(4, entries.get(i));
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
              "another writer appended to the transparency log '"
                  + name
                  + "' at index "
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
      return knownSize();
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
                    "SELECT leaf_hash FROM tlog_leaf WHERE log_name = ? AND idx >= ? AND idx < ?"
                        + " ORDER BY idx")) {
              s.setString(1, name);
              s.setLong(2, start);
              s.setLong(3, end);
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
      Objects.checkIndex(index, knownSize());
    } finally {
      lock.unlock();
    }
    try {
      return db.withConnection(
          "transparency log: read " + column,
          c -> {
            try (PreparedStatement s =
                c.prepareStatement(
                    "SELECT " + column + " FROM tlog_leaf WHERE log_name = ? AND idx = ?")) {
              s.setString(1, name);
              s.setLong(2, index);
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
   * The size this store has written to. After a failed append the rows may or may not have been
   * committed (a connection lost during {@code COMMIT} leaves that open), so the size is read back
   * instead of assumed; while the database cannot answer, calls fail rather than guess an index.
   */
  private long knownSize() {
    if (size == UNKNOWN) {
      try {
        size = readSize();
      } catch (UncheckedIOException e) {
        throw new LogStoreException(
            "the size of the transparency log '" + name + "' is unknown after a failed append: "
                + e.getMessage(),
            e);
      }
    }
    return size;
  }

  private void resyncSize() {
    try {
      size = readSize();
    } catch (UncheckedIOException e) {
      size = UNKNOWN; // read again before the next call
    }
  }

  private long readSize() {
    return db.withConnection(
        "transparency log: size",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT coalesce(max(idx) + 1, 0) FROM tlog_leaf WHERE log_name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  private static void checkName(String name) {
    if (name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a log name cannot hold U+0000");
    }
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_NAME_BYTES) {
      throw new IllegalArgumentException(
          "log name of " + bytes + " UTF-8 bytes exceeds the limit of " + MAX_NAME_BYTES);
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

  @Override
  public String toString() {
    return "PostgresLogStore['" + name + "' at " + db.config().address() + "]";
  }
}
