package dev.handshake.store.sqlite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConfig;

/**
 * One connection to {@value #FILE_NAME}, the SQLite file of device flows and access tokens, used
 * by one store. Like the pairing store's file, every unit of work is a {@code BEGIN IMMEDIATE}
 * transaction on one synchronized connection: the write lock is taken before the read and given
 * back at the end of the unit of work, so two processes polling one device code serialise and
 * only one of them issues its token. Both stores create both tables, so either may open the file
 * first.
 */
final class FlowDatabase implements AutoCloseable {
  static final String FILE_NAME = "pairing-flow.db";
  private static final int SCHEMA_VERSION = 1;
  private static final int BUSY_TIMEOUT_MS = 10_000;

  private final Connection connection;
  private final String what;

  private FlowDatabase(Connection connection, String what) {
    this.connection = connection;
    this.what = what;
  }

  static FlowDatabase open(Path directory, String what) throws IOException {
    SQLiteConfig config =
        SqliteDatabases.walConfig(SQLiteConfig.SynchronousMode.FULL, BUSY_TIMEOUT_MS);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    return SqliteDatabases.open(directory, FILE_NAME, config, what, c -> {
      try (Statement s = c.createStatement()) {
        // One write transaction, so two processes creating the file at once agree on it.
        s.executeUpdate("BEGIN IMMEDIATE");
        try {
          SqliteDatabases.requireSchemaVersion(s, SCHEMA_VERSION, "pairing flow database");
          createTables(s);
          s.executeUpdate("COMMIT");
        } catch (SQLException | RuntimeException e) {
          s.executeUpdate("ROLLBACK");
          throw e;
        }
      }
      return new FlowDatabase(c, what);
    });
  }

  private static void createTables(Statement s) throws SQLException {
    s.executeUpdate("CREATE TABLE IF NOT EXISTS device_flows (device_code_hash TEXT PRIMARY"
        + " KEY, request_id TEXT NOT NULL, client_id TEXT NOT NULL, scopes TEXT NOT NULL,"
        + " interval_ms INTEGER NOT NULL, last_poll_at INTEGER, expires_at INTEGER NOT NULL,"
        + " issued INTEGER NOT NULL, jkt TEXT)");
    s.executeUpdate("CREATE INDEX IF NOT EXISTS device_flows_expiry ON device_flows"
        + " (expires_at)");
    s.executeUpdate("CREATE TABLE IF NOT EXISTS access_tokens (token_hash TEXT PRIMARY KEY,"
        + " channel_type TEXT NOT NULL, account_id TEXT NOT NULL, sender_id TEXT NOT NULL,"
        + " scopes TEXT NOT NULL, issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,"
        + " grant_ref TEXT NOT NULL, jkt TEXT)");
    s.executeUpdate("CREATE INDEX IF NOT EXISTS access_tokens_requester ON access_tokens"
        + " (channel_type, account_id, sender_id, issued_at)");
    s.executeUpdate("CREATE INDEX IF NOT EXISTS access_tokens_expiry ON access_tokens"
        + " (expires_at)");
    // Files made before DPoP binding lack the jkt columns: add them (NULL = a bearer token).
    addColumnIfMissing(s, "device_flows", "jkt", "TEXT");
    addColumnIfMissing(s, "access_tokens", "jkt", "TEXT");
  }

  private static void addColumnIfMissing(Statement s, String table, String column, String type)
      throws SQLException {
    try (ResultSet rs = s.executeQuery("PRAGMA table_info(" + table + ")")) {
      while (rs.next()) {
        if (rs.getString("name").equals(column)) {
          return;
        }
      }
    }
    s.executeUpdate("ALTER TABLE " + table + " ADD COLUMN " + column + " " + type);
  }

  /** Runs {@code work} as one transaction; any failure rolls it back. */
  synchronized <T> T inTransaction(Work<T> work) {
    return SqliteDatabases.inTransaction(connection, what, () -> work.run(this));
  }

  PreparedStatement prepare(String query, @Nullable Object... args) throws SQLException {
    return SqliteDatabases.prepare(connection, query, args);
  }

  int update(String statement, @Nullable Object... args) throws SQLException {
    try (PreparedStatement ps = prepare(statement, args)) {
      return ps.executeUpdate();
    }
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new UncheckedIOException(new IOException("closing the " + what, e));
    }
  }

  @FunctionalInterface
  interface Work<T> {
    T run(FlowDatabase db) throws SQLException;
  }
}
