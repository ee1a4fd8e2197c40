package dev.handshake.store.sqlite;

import dev.handshake.audit.tsa.TimestampStore;
import dev.handshake.audit.tsa.TimestampVerifier;
import dev.handshake.audit.tsa.TrustedTimestamp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConfig;

/**
 * The durable {@link TimestampStore}: {@value #FILE_NAME} in the data folder, next to (never
 * inside) {@code audit.db}. Like {@code SqliteAuditStore}: WAL with {@code synchronous=FULL}, so
 * a token is on disk when {@link #add} returns, and a busy timeout so a server and a CLI can share
 * the folder.
 *
 * <p>One row per (event hash, token): {@code event_hash}, {@code gen_time_ms}, {@code tsa},
 * {@code source}, {@code token} (DER TimeStampToken). The columns beside the token are for
 * queries and people; {@link TimestampVerifier#verifyStored} checks them against the token.
 */
public final class SqliteTimestampStore implements TimestampStore {
  public static final String FILE_NAME = "audit-timestamps.db";
  private static final int BUSY_TIMEOUT_MS = 10_000;
  private static final int SCHEMA_VERSION = 1;

  private final Connection connection;

  private SqliteTimestampStore(Connection connection) throws SQLException {
    this.connection = connection;
    try (Statement s = connection.createStatement()) {
      s.executeUpdate(
          "CREATE TABLE IF NOT EXISTS trusted_timestamp ("
              + " id INTEGER PRIMARY KEY,"
              + " event_hash TEXT NOT NULL,"
              + " gen_time_ms INTEGER NOT NULL,"
              + " tsa TEXT NOT NULL,"
              + " source TEXT NOT NULL,"
              + " token BLOB NOT NULL,"
              + " UNIQUE (event_hash, token)) STRICT");
      SqliteDatabases.requireSchemaVersion(s, SCHEMA_VERSION, "timestamp database");
    }
  }

  /**
   * Opens (creating if needed) {@code dataDir/audit-timestamps.db}, owner-only.
   *
   * @throws IOException if the folder or the database cannot be created or opened, or it has
   *     another schema version
   */
  public static SqliteTimestampStore open(Path dataDir) throws IOException {
    return SqliteDatabases.open(
        dataDir,
        FILE_NAME,
        SqliteDatabases.walConfig(SQLiteConfig.SynchronousMode.FULL, BUSY_TIMEOUT_MS),
        "timestamp store",
        SqliteTimestampStore::new);
  }

  @Override
  public synchronized boolean add(TrustedTimestamp timestamp) {
    try (PreparedStatement s =
        connection.prepareStatement(
            "INSERT INTO trusted_timestamp (event_hash, gen_time_ms, tsa, source, token)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (event_hash, token) DO NOTHING")) {
      s.setString(1, timestamp.eventHash());
      s.setLong(2, timestamp.genTime().toEpochMilli());
      s.setString(3, timestamp.tsa());
      s.setString(4, timestamp.source());
      s.setBytes(5, timestamp.token());
      return s.executeUpdate() == 1;
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  @Override
  public synchronized List<TrustedTimestamp> forEvent(String eventHash) {
    List<TrustedTimestamp> out = new ArrayList<>();
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT gen_time_ms, tsa, source, token FROM trusted_timestamp"
                + " WHERE event_hash = ? ORDER BY id")) {
      s.setString(1, eventHash);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(
              TrustedTimestamp.of(
                  eventHash, Instant.ofEpochMilli(rs.getLong(1)), rs.getString(2),
                  rs.getString(3), rs.getBytes(4)));
        }
      }
    } catch (SQLException e) {
      throw failure(e);
    }
    return out;
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private static UncheckedIOException failure(SQLException e) {
    return new UncheckedIOException(new IOException("timestamp store: " + e.getMessage(), e));
  }
}
