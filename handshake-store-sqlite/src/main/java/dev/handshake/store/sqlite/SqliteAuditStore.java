package dev.handshake.store.sqlite;

import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.AuditStore;
import dev.handshake.audit.ChainHead;
import dev.handshake.json.CanonicalJson;
import dev.handshake.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sqlite.SQLiteConfig;
import tools.jackson.databind.node.ObjectNode;

/**
 * The durable {@link AuditStore}: one SQLite database, {@value #FILE_NAME}, in a data folder.
 *
 * <p>WAL mode with {@code synchronous=FULL}: {@link #append} commits and fsyncs before it
 * returns, so an acknowledged event survives a killed process or a power cut. The head check
 * and the insert run in one {@code BEGIN IMMEDIATE} transaction, so several processes (the
 * server and a CLI) can write to one folder without ever forking a chain; a busy database is
 * waited for up to {@link #BUSY_TIMEOUT_MS}. Events are stored as the exact JSON they were
 * signed as and returned in append order.
 */
public final class SqliteAuditStore implements AuditStore {
  public static final String FILE_NAME = "audit.db";
  static final int BUSY_TIMEOUT_MS = 10_000;
  private static final int SCHEMA_VERSION = 1;

  private final Connection connection;

  private SqliteAuditStore(Connection connection) throws SQLException {
    this.connection = connection;
    try (Statement s = connection.createStatement()) {
      s.executeUpdate(
          "CREATE TABLE IF NOT EXISTS event ("
              + " id INTEGER PRIMARY KEY,"
              + " agent_id TEXT NOT NULL,"
              + " seq INTEGER NOT NULL,"
              + " event_hash TEXT NOT NULL,"
              + " event_json BLOB NOT NULL,"
              + " UNIQUE (agent_id, seq)) STRICT");
      s.executeUpdate(
          "CREATE TABLE IF NOT EXISTS head ("
              + " agent_id TEXT PRIMARY KEY, event_count INTEGER NOT NULL, head_json BLOB NOT NULL) STRICT");
      s.executeUpdate(
          "CREATE TABLE IF NOT EXISTS seen_nonce ("
              + " agent_id TEXT NOT NULL, nonce TEXT NOT NULL, expires_at INTEGER NOT NULL,"
              + " PRIMARY KEY (agent_id, nonce)) STRICT");
      SqliteDatabases.requireSchemaVersion(s, SCHEMA_VERSION, "audit database");
    }
  }

  /**
   * Opens (creating if needed) {@code dataDir/audit.db}, owner-only.
   *
   * @throws IOException if the folder or the database cannot be created or opened, or it has
   *     another schema version
   */
  public static SqliteAuditStore open(Path dataDir) throws IOException {
    SQLiteConfig config =
        SqliteDatabases.walConfig(SQLiteConfig.SynchronousMode.FULL, BUSY_TIMEOUT_MS);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    return SqliteDatabases.open(dataDir, FILE_NAME, config, "audit store", SqliteAuditStore::new);
  }

  @Override
  public synchronized void append(AuditEvent event) {
    try {
      connection.setAutoCommit(false);
      try {
        long seq = 0;
        String head = null;
        try (PreparedStatement q =
            connection.prepareStatement(
                "SELECT seq, event_hash FROM event WHERE agent_id = ? ORDER BY seq DESC LIMIT 1")) {
          q.setString(1, event.agentId());
          try (ResultSet rs = q.executeQuery()) {
            if (rs.next()) {
              seq = rs.getLong(1) + 1;
              head = rs.getString(2);
            }
          }
        }
        if (head != null && !event.previousHash().orElse("").equals(head)) {
          throw new StaleHeadException(
              "event does not extend the head " + head + " of " + event.agentId());
        }
        try (PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO event (agent_id, seq, event_hash, event_json) VALUES (?, ?, ?, ?)")) {
          insert.setString(1, event.agentId());
          insert.setLong(2, seq);
          insert.setString(3, event.hash());
          insert.setBytes(4, Json.bytes(event.json()));
          insert.executeUpdate();
        }
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new UncheckedIOException(new IOException("audit store append failed: " + e.getMessage(), e));
    }
  }

  @Override
  public synchronized List<AuditEvent> events(String agentId) {
    List<AuditEvent> out = new ArrayList<>();
    query(
        "SELECT event_json FROM event WHERE agent_id = ? ORDER BY seq",
        agentId,
        rs -> out.add(AuditEvent.of((ObjectNode) CanonicalJson.parse(rs.getBytes(1)))));
    return out;
  }

  @Override
  public synchronized Optional<AuditEvent> last(String agentId) {
    List<AuditEvent> out = new ArrayList<>();
    query(
        "SELECT event_json FROM event WHERE agent_id = ? ORDER BY seq DESC LIMIT 1",
        agentId,
        rs -> out.add(AuditEvent.of((ObjectNode) CanonicalJson.parse(rs.getBytes(1)))));
    return out.stream().findFirst();
  }

  /**
   * One index lookup, not a scan: {@link #append} numbers an agent's events 0, 1, 2, … without
   * gaps and nothing is ever deleted, so the count is the highest {@code seq} plus one. (The ledger
   * asks for it on every recorded event; {@code count(*)} grew with the chain.)
   */
  @Override
  public synchronized long count(String agentId) {
    long[] count = {0};
    query(
        "SELECT coalesce(max(seq) + 1, 0) FROM event WHERE agent_id = ?",
        agentId,
        rs -> count[0] = rs.getLong(1));
    return count[0];
  }

  @Override
  public synchronized List<String> agents() {
    List<String> out = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT agent_id FROM event GROUP BY agent_id ORDER BY min(id)")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw failure(e);
    }
    return out;
  }

  @Override
  public synchronized void saveHead(ChainHead head) {
    try (PreparedStatement s =
        connection.prepareStatement(
            "INSERT INTO head (agent_id, event_count, head_json) VALUES (?, ?, ?)"
                + " ON CONFLICT (agent_id) DO UPDATE SET event_count = excluded.event_count,"
                + " head_json = excluded.head_json WHERE excluded.event_count >= head.event_count")) {
      s.setString(1, head.agentId());
      s.setLong(2, head.eventCount());
      s.setBytes(3, Json.bytes(head.toJson()));
      s.executeUpdate();
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  @Override
  public synchronized Optional<ChainHead> head(String agentId) {
    List<ChainHead> out = new ArrayList<>();
    query(
        "SELECT head_json FROM head WHERE agent_id = ?",
        agentId,
        rs -> ChainHead.parse(CanonicalJson.parse(rs.getBytes(1))).ifPresent(out::add));
    return out.stream().findFirst();
  }

  @Override
  public synchronized boolean recordNonce(
      String agentId, String nonce, long nowSeconds, long retainSeconds) {
    try (PreparedStatement s =
        connection.prepareStatement(
            "INSERT INTO seen_nonce (agent_id, nonce, expires_at) VALUES (?, ?, ?)"
                + " ON CONFLICT (agent_id, nonce) DO UPDATE SET expires_at = excluded.expires_at"
                + " WHERE seen_nonce.expires_at <= ?")) {
      s.setString(1, agentId);
      s.setString(2, nonce);
      s.setLong(3, nowSeconds + retainSeconds);
      s.setLong(4, nowSeconds);
      return s.executeUpdate() == 1;
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private interface Row {
    void accept(ResultSet rs) throws SQLException;
  }

  private void query(String sql, String agentId, Row row) {
    try (PreparedStatement s = connection.prepareStatement(sql)) {
      s.setString(1, agentId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          row.accept(rs);
        }
      }
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private static UncheckedIOException failure(SQLException e) {
    return new UncheckedIOException(new IOException("audit store: " + e.getMessage(), e));
  }
}
