package dev.handshake.store.sqlite;

import dev.handshake.json.Json;
import dev.handshake.pairing.Grant;
import dev.handshake.pairing.PairingEvent;
import dev.handshake.pairing.PairingRequest;
import dev.handshake.pairing.PairingTables;
import dev.handshake.pairing.RequestState;
import dev.handshake.pairing.Requester;
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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sqlite.SQLiteConfig;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pairing rows in one SQLite file, {@value #FILE_NAME}, that the server and the CLI open at the
 * same time. Each unit of work is one {@code BEGIN IMMEDIATE} transaction: it takes the database's
 * write lock before reading, so two processes approving at once serialise and the second sees the
 * first's result (pairing.md §3.2 rule 9, §4 item 21). Partial unique indexes back the rules: one
 * live request per sender, one live request per code hash. WAL, {@code synchronous=FULL}: an
 * approval that was reported is on disk. A writer waits up to 10 seconds for the lock ({@link
 * SqliteDatabases#inTransaction}).
 */
final class SqlitePairingTables implements PairingTables {
  static final String FILE_NAME = "pairing.db";
  private static final int SCHEMA_VERSION = 1;
  private static final int BUSY_TIMEOUT_MS = 10_000;
  private static final String REQUEST_COLUMNS =
      "request_id, channel_type, account_id, sender_id, display_meta, code_hash, created_at,"
          + " last_seen_at, expires_at, state, failed_attempts, resolved_by, resolved_at,"
          + " superseded_by";
  private static final String GRANT_COLUMNS =
      "channel_type, account_id, sender_id, request_id, approved_by, approved_at, scopes,"
          + " revoked_at, revoked_by";

  private final Connection connection;

  private SqlitePairingTables(Connection connection) {
    this.connection = connection;
  }

  static SqlitePairingTables open(Path directory) throws IOException {
    SQLiteConfig config =
        SqliteDatabases.walConfig(SQLiteConfig.SynchronousMode.FULL, BUSY_TIMEOUT_MS);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    return SqliteDatabases.open(directory, FILE_NAME, config, "pairing store", c -> {
      try (Statement s = c.createStatement()) {
        SqliteDatabases.requireSchemaVersion(s, SCHEMA_VERSION, "pairing database");
        s.executeUpdate("CREATE TABLE IF NOT EXISTS pairing_requests (request_id TEXT PRIMARY KEY,"
            + " channel_type TEXT NOT NULL, account_id TEXT NOT NULL, sender_id TEXT NOT NULL,"
            + " display_meta TEXT NOT NULL, code_hash TEXT NOT NULL, created_at INTEGER NOT NULL,"
            + " last_seen_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, state TEXT NOT NULL,"
            + " failed_attempts INTEGER NOT NULL, resolved_by TEXT, resolved_at INTEGER,"
            + " superseded_by TEXT)");
        s.executeUpdate("CREATE UNIQUE INDEX IF NOT EXISTS pairing_live_sender ON pairing_requests"
            + " (channel_type, account_id, sender_id) WHERE state = 'PENDING'");
        s.executeUpdate("CREATE UNIQUE INDEX IF NOT EXISTS pairing_live_code ON pairing_requests"
            + " (code_hash) WHERE state = 'PENDING'");
        s.executeUpdate("CREATE INDEX IF NOT EXISTS pairing_code ON pairing_requests"
            + " (code_hash, created_at)");
        s.executeUpdate("CREATE INDEX IF NOT EXISTS pairing_state_expiry ON pairing_requests"
            + " (state, expires_at)");
        s.executeUpdate("CREATE TABLE IF NOT EXISTS pairing_grants (channel_type TEXT NOT NULL,"
            + " account_id TEXT NOT NULL, sender_id TEXT NOT NULL, request_id TEXT NOT NULL,"
            + " approved_by TEXT NOT NULL, approved_at INTEGER NOT NULL, scopes TEXT NOT NULL,"
            + " revoked_at INTEGER, revoked_by TEXT,"
            + " PRIMARY KEY (channel_type, account_id, sender_id))");
        s.executeUpdate("CREATE TABLE IF NOT EXISTS pairing_events (seq INTEGER PRIMARY KEY"
            + " AUTOINCREMENT, type TEXT NOT NULL, request_id TEXT NOT NULL, channel_type TEXT"
            + " NOT NULL, account_id TEXT NOT NULL, sender_id TEXT NOT NULL, actor TEXT NOT NULL,"
            + " at INTEGER NOT NULL)");
      }
      return new SqlitePairingTables(c);
    });
  }

  @Override
  public synchronized <T> T inTransaction(Work<T> work) {
    return SqliteDatabases.inTransaction(connection, "pairing store", () -> work.run(new SqlTx()));
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new UncheckedIOException(new IOException("closing the pairing store", e));
    }
  }

  private final class SqlTx implements Tx {
    private <T> T sql(SqliteDatabases.Work<T> work) {
      try {
        return work.run();
      } catch (SQLException e) {
        throw SqliteDatabases.failure("pairing store", e);
      }
    }

    @Override
    public Optional<PairingRequest> request(String requestId) {
      return one("SELECT " + REQUEST_COLUMNS + " FROM pairing_requests WHERE request_id = ?",
          requestId);
    }

    @Override
    public Optional<PairingRequest> pendingBySender(Requester r) {
      return one("SELECT " + REQUEST_COLUMNS + " FROM pairing_requests WHERE state = 'PENDING'"
          + " AND channel_type = ? AND account_id = ? AND sender_id = ?",
          r.channelType(), r.accountId(), r.senderId());
    }

    @Override
    public Optional<PairingRequest> latestByCodeHash(String codeHash) {
      return one("SELECT " + REQUEST_COLUMNS + " FROM pairing_requests WHERE code_hash = ?"
          + " ORDER BY created_at DESC LIMIT 1", codeHash);
    }

    @Override
    public int countPending(String channelType, String accountId) {
      return count("SELECT count(*) FROM pairing_requests WHERE state = 'PENDING'"
          + " AND channel_type = ? AND account_id = ?", channelType, accountId);
    }

    @Override
    public int countPending() {
      return count("SELECT count(*) FROM pairing_requests WHERE state = 'PENDING'");
    }

    @Override
    public List<PairingRequest> pending(Optional<String> channelType) {
      return channelType.isPresent()
          ? many("SELECT " + REQUEST_COLUMNS + " FROM pairing_requests WHERE state = 'PENDING'"
              + " AND channel_type = ? ORDER BY created_at", channelType.get())
          : many("SELECT " + REQUEST_COLUMNS + " FROM pairing_requests WHERE state = 'PENDING'"
              + " ORDER BY created_at");
    }

    @Override
    public List<PairingRequest> pendingExpiredBy(Instant now, int limit) {
      return many("SELECT " + REQUEST_COLUMNS + " FROM pairing_requests WHERE state = 'PENDING'"
          + " AND expires_at <= ? ORDER BY expires_at LIMIT ?", now.toEpochMilli(), limit);
    }

    @Override
    public void insert(PairingRequest r) {
      update("INSERT INTO pairing_requests (" + REQUEST_COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", requestRow(r));
    }

    @Override
    public void update(PairingRequest r) {
      Object[] row = requestRow(r);
      Object[] args = new Object[row.length];
      System.arraycopy(row, 1, args, 0, row.length - 1);
      args[row.length - 1] = r.requestId();
      update("UPDATE pairing_requests SET channel_type = ?, account_id = ?, sender_id = ?,"
          + " display_meta = ?, code_hash = ?, created_at = ?, last_seen_at = ?, expires_at = ?,"
          + " state = ?, failed_attempts = ?, resolved_by = ?, resolved_at = ?, superseded_by = ?"
          + " WHERE request_id = ?", args);
    }

    @Override
    public int forgetResolvedBefore(Instant cutoff) {
      update("DELETE FROM pairing_events WHERE at < ?", cutoff.toEpochMilli());
      return update("DELETE FROM pairing_requests WHERE state <> 'PENDING' AND resolved_at < ?",
          cutoff.toEpochMilli());
    }

    @Override
    public Optional<Grant> grant(Requester r) {
      List<Grant> g = grantRows("SELECT " + GRANT_COLUMNS + " FROM pairing_grants WHERE"
          + " channel_type = ? AND account_id = ? AND sender_id = ?",
          r.channelType(), r.accountId(), r.senderId());
      return g.stream().findFirst();
    }

    @Override
    public List<Grant> grants(boolean includeRevoked) {
      return grantRows("SELECT " + GRANT_COLUMNS + " FROM pairing_grants"
          + (includeRevoked ? "" : " WHERE revoked_at IS NULL") + " ORDER BY approved_at");
    }

    @Override
    public void putGrant(Grant g) {
      ArrayNode scopes = Json.nodes().arrayNode();
      g.scopes().stream().sorted().forEach(scopes::add);
      update("INSERT OR REPLACE INTO pairing_grants (" + GRANT_COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          g.requester().channelType(), g.requester().accountId(), g.requester().senderId(),
          g.requestId(), g.approvedBy(), g.approvedAt().toEpochMilli(), Json.text(scopes),
          g.revokedAt().map(Instant::toEpochMilli).orElse(null), g.revokedBy().orElse(null));
    }

    @Override
    public long append(PairingEvent e) {
      update("INSERT INTO pairing_events (type, request_id, channel_type, account_id, sender_id,"
          + " actor, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
          e.type().name(), e.requestId(), e.requester().channelType(), e.requester().accountId(),
          e.requester().senderId(), e.actor(), e.at().toEpochMilli());
      return count("SELECT last_insert_rowid()");
    }

    @Override
    public List<PairingEvent> events(long afterSeq, int limit) {
      return sql(() -> {
        try (PreparedStatement ps = prepare("SELECT seq, type, request_id, channel_type,"
            + " account_id, sender_id, actor, at FROM pairing_events WHERE seq > ? ORDER BY seq"
            + " LIMIT ?", afterSeq, limit);
            ResultSet rs = ps.executeQuery()) {
          List<PairingEvent> out = new ArrayList<>();
          while (rs.next()) {
            out.add(new PairingEvent(rs.getLong(1), PairingEvent.Type.valueOf(rs.getString(2)),
                rs.getString(3), new Requester(rs.getString(4), rs.getString(5), rs.getString(6)),
                rs.getString(7), Instant.ofEpochMilli(rs.getLong(8))));
          }
          return out;
        }
      });
    }

    private Object[] requestRow(PairingRequest r) {
      ObjectNode meta = Json.object();
      r.displayMeta().entrySet().stream().sorted(Map.Entry.comparingByKey())
          .forEach(e -> meta.put(e.getKey(), e.getValue()));
      return new Object[] {
        r.requestId(), r.requester().channelType(), r.requester().accountId(),
        r.requester().senderId(), Json.text(meta), r.codeHash(), r.createdAt().toEpochMilli(),
        r.lastSeenAt().toEpochMilli(), r.expiresAt().toEpochMilli(), r.state().name(),
        r.failedAttempts(), r.resolvedBy().orElse(null),
        r.resolvedAt().map(Instant::toEpochMilli).orElse(null), r.supersededBy().orElse(null)
      };
    }

    private Optional<PairingRequest> one(String query, Object... args) {
      return many(query, args).stream().findFirst();
    }

    private List<PairingRequest> many(String query, Object... args) {
      return sql(() -> {
        try (PreparedStatement ps = prepare(query, args); ResultSet rs = ps.executeQuery()) {
          List<PairingRequest> out = new ArrayList<>();
          while (rs.next()) {
            out.add(readRequest(rs));
          }
          return out;
        }
      });
    }

    private List<Grant> grantRows(String query, Object... args) {
      return sql(() -> {
        try (PreparedStatement ps = prepare(query, args); ResultSet rs = ps.executeQuery()) {
          List<Grant> out = new ArrayList<>();
          while (rs.next()) {
            Set<String> scopes = new LinkedHashSet<>();
            Json.mapper().readTree(rs.getString(7)).forEach(n -> scopes.add(n.stringValue()));
            out.add(new Grant(new Requester(rs.getString(1), rs.getString(2), rs.getString(3)),
                rs.getString(4), rs.getString(5), Instant.ofEpochMilli(rs.getLong(6)), scopes,
                optionalInstant(rs, 8), Optional.ofNullable(rs.getString(9))));
          }
          return out;
        }
      });
    }

    private int count(String query, Object... args) {
      return sql(() -> {
        try (PreparedStatement ps = prepare(query, args); ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getInt(1) : 0;
        }
      });
    }

    private int update(String statement, Object... args) {
      return sql(() -> {
        try (PreparedStatement ps = prepare(statement, args)) {
          return ps.executeUpdate();
        }
      });
    }

    private PreparedStatement prepare(String query, Object... args) throws SQLException {
      return SqliteDatabases.prepare(connection, query, args);
    }
  }

  private static PairingRequest readRequest(ResultSet rs) throws SQLException {
    Map<String, String> meta = new LinkedHashMap<>();
    JsonNode node = Json.mapper().readTree(rs.getString(5));
    node.properties().forEach(e -> meta.put(e.getKey(), e.getValue().stringValue()));
    return new PairingRequest(rs.getString(1),
        new Requester(rs.getString(2), rs.getString(3), rs.getString(4)), meta, rs.getString(6),
        Instant.ofEpochMilli(rs.getLong(7)), Instant.ofEpochMilli(rs.getLong(8)),
        Instant.ofEpochMilli(rs.getLong(9)), RequestState.valueOf(rs.getString(10)),
        rs.getInt(11), Optional.ofNullable(rs.getString(12)), optionalInstant(rs, 13),
        Optional.ofNullable(rs.getString(14)));
  }

  private static Optional<Instant> optionalInstant(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
  }
}
