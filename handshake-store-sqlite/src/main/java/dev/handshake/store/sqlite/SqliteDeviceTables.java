package dev.handshake.store.sqlite;

import dev.handshake.json.Json;
import dev.handshake.pairing.device.BootstrapToken;
import dev.handshake.pairing.device.DeviceEvent;
import dev.handshake.pairing.device.DeviceRequest;
import dev.handshake.pairing.device.DeviceRequestState;
import dev.handshake.pairing.device.DeviceTables;
import dev.handshake.pairing.device.DeviceToken;
import dev.handshake.pairing.device.PairedDevice;
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
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.sqlite.SQLiteConfig;
import tools.jackson.databind.node.ArrayNode;

/**
 * Device pairing rows in one SQLite file, {@value #FILE_NAME}, that the server and the CLI open at
 * the same time. Each unit of work is one {@code BEGIN IMMEDIATE} transaction: it takes the
 * database's write lock before reading, so two processes approving one request serialise and the
 * second sees the first's result. A partial unique index backs "one live request per device"; a
 * unique index on the bootstrap HMAC makes a token redeemable in one row only. WAL, {@code
 * synchronous=FULL}: an approval that was reported is on disk.
 */
final class SqliteDeviceTables implements DeviceTables {
  static final String FILE_NAME = "pairing-devices.db";
  private static final int SCHEMA_VERSION = 1;
  private static final int BUSY_TIMEOUT_MS = 10_000;
  private static final String REQUEST_COLUMNS =
      "request_id, device_id, public_key, display_name, platform, client_id, role, scopes,"
          + " remote_address, created_at, last_seen_at, expires_at, state, is_upgrade,"
          + " resolved_by, resolved_at, superseded_by";
  private static final String DEVICE_COLUMNS =
      "device_id, public_key, display_name, platform, client_id, roles, scopes, paired_at,"
          + " approved_by, updated_at";
  private static final String TOKEN_COLUMNS =
      "device_id, role, generation, issued_at, issued_by, revoked_at, revoked_by, last_used_at,"
          + " token_hash";
  private static final String BOOTSTRAP_COLUMNS =
      "id, issued_at, expires_at, issued_by, redeemed_at, redeemed_by, redeemed_key, token_hash";

  private final Connection connection;

  private SqliteDeviceTables(Connection connection) {
    this.connection = connection;
  }

  static SqliteDeviceTables open(Path directory) throws IOException {
    SQLiteConfig config =
        SqliteDatabases.walConfig(SQLiteConfig.SynchronousMode.FULL, BUSY_TIMEOUT_MS);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    return SqliteDatabases.open(directory, FILE_NAME, config, "device pairing store", c -> {
      try (Statement s = c.createStatement()) {
        SqliteDatabases.requireSchemaVersion(s, SCHEMA_VERSION, "device pairing database");
        s.executeUpdate("CREATE TABLE IF NOT EXISTS device_requests (request_id TEXT PRIMARY KEY,"
            + " device_id TEXT NOT NULL, public_key TEXT NOT NULL, display_name TEXT NOT NULL,"
            + " platform TEXT NOT NULL, client_id TEXT NOT NULL, role TEXT NOT NULL,"
            + " scopes TEXT NOT NULL, remote_address TEXT NOT NULL, created_at INTEGER NOT NULL,"
            + " last_seen_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, state TEXT NOT NULL,"
            + " is_upgrade INTEGER NOT NULL, resolved_by TEXT, resolved_at INTEGER,"
            + " superseded_by TEXT)");
        s.executeUpdate("CREATE UNIQUE INDEX IF NOT EXISTS device_live_request ON device_requests"
            + " (device_id) WHERE state = 'PENDING'");
        s.executeUpdate("CREATE INDEX IF NOT EXISTS device_request_expiry ON device_requests"
            + " (state, expires_at)");
        s.executeUpdate("CREATE TABLE IF NOT EXISTS devices (device_id TEXT PRIMARY KEY,"
            + " public_key TEXT NOT NULL, display_name TEXT NOT NULL, platform TEXT NOT NULL,"
            + " client_id TEXT NOT NULL, roles TEXT NOT NULL, scopes TEXT NOT NULL,"
            + " paired_at INTEGER NOT NULL, approved_by TEXT NOT NULL, updated_at INTEGER NOT NULL)");
        s.executeUpdate("CREATE TABLE IF NOT EXISTS device_tokens (device_id TEXT NOT NULL,"
            + " role TEXT NOT NULL, generation INTEGER NOT NULL, issued_at INTEGER NOT NULL,"
            + " issued_by TEXT NOT NULL, revoked_at INTEGER, revoked_by TEXT, last_used_at INTEGER,"
            + " token_hash TEXT NOT NULL, PRIMARY KEY (device_id, role))");
        s.executeUpdate("CREATE TABLE IF NOT EXISTS device_bootstrap (id TEXT PRIMARY KEY,"
            + " issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, issued_by TEXT NOT NULL,"
            + " redeemed_at INTEGER, redeemed_by TEXT, redeemed_key TEXT,"
            + " token_hash TEXT NOT NULL UNIQUE)");
        s.executeUpdate("CREATE TABLE IF NOT EXISTS device_events (seq INTEGER PRIMARY KEY"
            + " AUTOINCREMENT, type TEXT NOT NULL, subject TEXT NOT NULL, device_id TEXT,"
            + " role TEXT, actor TEXT NOT NULL, at INTEGER NOT NULL)");
      }
      return new SqliteDeviceTables(c);
    });
  }

  /**
   * The connection stays in auto-commit between units of work: sqlite-jdbc begins the next
   * transaction as soon as one commits, and in IMMEDIATE mode that would hold the write lock
   * between calls and lock every other process out. Leaving auto-commit issues {@code BEGIN
   * IMMEDIATE}; returning to it ends the transaction.
   */
  @Override
  public synchronized <T> T inTransaction(Work<T> work) {
    return SqliteDatabases.inTransaction(connection, "device pairing store",
        () -> work.run(new SqlTx()));
  }

  private static UncheckedIOException failure(SQLException e) {
    return SqliteDatabases.failure("device pairing store", e);
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new UncheckedIOException(new IOException("closing the device pairing store", e));
    }
  }

  private final class SqlTx implements Tx {

    @Override
    public Optional<DeviceRequest> request(String requestId) {
      return requests("SELECT " + REQUEST_COLUMNS + " FROM device_requests WHERE request_id = ?",
          requestId).stream().findFirst();
    }

    @Override
    public Optional<DeviceRequest> pendingByDevice(String deviceId) {
      return requests("SELECT " + REQUEST_COLUMNS + " FROM device_requests"
          + " WHERE state = 'PENDING' AND device_id = ?", deviceId).stream().findFirst();
    }

    @Override
    public int countPending() {
      return (int) number("SELECT count(*) FROM device_requests WHERE state = 'PENDING'");
    }

    @Override
    public int countPendingFrom(String remoteAddress) {
      return (int) number("SELECT count(*) FROM device_requests WHERE state = 'PENDING'"
          + " AND remote_address = ?", remoteAddress);
    }

    @Override
    public List<DeviceRequest> pending() {
      return requests("SELECT " + REQUEST_COLUMNS + " FROM device_requests"
          + " WHERE state = 'PENDING' ORDER BY created_at");
    }

    @Override
    public List<DeviceRequest> pendingExpiredBy(Instant now, int limit) {
      return requests("SELECT " + REQUEST_COLUMNS + " FROM device_requests WHERE state ="
          + " 'PENDING' AND expires_at <= ? ORDER BY expires_at LIMIT ?", now.toEpochMilli(), limit);
    }

    @Override
    public void insert(DeviceRequest r) {
      update("INSERT INTO device_requests (" + REQUEST_COLUMNS + ") VALUES"
          + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", requestRow(r));
    }

    @Override
    public void update(DeviceRequest r) {
      Object[] row = requestRow(r);
      Object[] args = new Object[row.length];
      System.arraycopy(row, 1, args, 0, row.length - 1);
      args[row.length - 1] = r.requestId();
      update("UPDATE device_requests SET device_id = ?, public_key = ?, display_name = ?,"
          + " platform = ?, client_id = ?, role = ?, scopes = ?, remote_address = ?,"
          + " created_at = ?, last_seen_at = ?, expires_at = ?, state = ?, is_upgrade = ?,"
          + " resolved_by = ?, resolved_at = ?, superseded_by = ? WHERE request_id = ?", args);
    }

    @Override
    public Optional<PairedDevice> device(String deviceId) {
      return devices("SELECT " + DEVICE_COLUMNS + " FROM devices WHERE device_id = ?", deviceId)
          .stream().findFirst();
    }

    @Override
    public List<PairedDevice> devices() {
      return devices("SELECT " + DEVICE_COLUMNS + " FROM devices ORDER BY paired_at");
    }

    @Override
    public void putDevice(PairedDevice d) {
      update("INSERT OR REPLACE INTO devices (" + DEVICE_COLUMNS + ") VALUES"
          + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", d.deviceId(), d.publicKey(), d.displayName(),
          d.platform(), d.clientId(), names(d.approvedRoles()), names(d.approvedScopes()),
          millis(d.pairedAt()), d.approvedBy(), millis(d.updatedAt()));
    }

    @Override
    public boolean deleteDevice(String deviceId) {
      update("DELETE FROM device_tokens WHERE device_id = ?", deviceId);
      return update("DELETE FROM devices WHERE device_id = ?", deviceId) > 0;
    }

    @Override
    public Optional<TokenRow> token(String deviceId, String role) {
      return tokens("SELECT " + TOKEN_COLUMNS + " FROM device_tokens WHERE device_id = ?"
          + " AND role = ?", deviceId, role).stream().findFirst();
    }

    @Override
    public List<TokenRow> tokens(String deviceId) {
      return tokens("SELECT " + TOKEN_COLUMNS + " FROM device_tokens WHERE device_id = ?"
          + " ORDER BY role", deviceId);
    }

    @Override
    public void putToken(TokenRow row) {
      DeviceToken t = row.token();
      update("INSERT OR REPLACE INTO device_tokens (" + TOKEN_COLUMNS + ") VALUES"
          + " (?, ?, ?, ?, ?, ?, ?, ?, ?)", t.deviceId(), t.role(), t.generation(),
          millis(t.issuedAt()), t.issuedBy(), t.revokedAt().map(Instant::toEpochMilli).orElse(null),
          t.revokedBy().orElse(null), t.lastUsedAt().map(Instant::toEpochMilli).orElse(null),
          row.hash());
    }

    @Override
    public Optional<BootstrapRow> bootstrapByHash(String hash) {
      return bootstrap("SELECT " + BOOTSTRAP_COLUMNS + " FROM device_bootstrap"
          + " WHERE token_hash = ?", hash).stream().findFirst();
    }

    @Override
    public List<BootstrapToken> redeemableBootstrap(Instant now) {
      return bootstrap("SELECT " + BOOTSTRAP_COLUMNS + " FROM device_bootstrap WHERE"
          + " redeemed_at IS NULL AND expires_at > ? ORDER BY issued_at", now.toEpochMilli())
          .stream().map(BootstrapRow::token).toList();
    }

    @Override
    public void insertBootstrap(BootstrapRow row) {
      BootstrapToken t = row.token();
      update("INSERT INTO device_bootstrap (" + BOOTSTRAP_COLUMNS + ") VALUES"
          + " (?, ?, ?, ?, ?, ?, ?, ?)", t.id(), millis(t.issuedAt()), millis(t.expiresAt()),
          t.issuedBy(), t.redeemedAt().map(Instant::toEpochMilli).orElse(null),
          t.redeemedBy().orElse(null), t.redeemedKey().orElse(null), row.hash());
    }

    @Override
    public void updateBootstrap(BootstrapToken t) {
      update("UPDATE device_bootstrap SET redeemed_at = ?, redeemed_by = ?, redeemed_key = ?"
          + " WHERE id = ?", t.redeemedAt().map(Instant::toEpochMilli).orElse(null),
          t.redeemedBy().orElse(null), t.redeemedKey().orElse(null), t.id());
    }

    @Override
    public void forgetBefore(Instant cutoff) {
      long c = cutoff.toEpochMilli();
      update("DELETE FROM device_requests WHERE state <> 'PENDING' AND resolved_at < ?", c);
      update("DELETE FROM device_bootstrap WHERE coalesce(redeemed_at, expires_at) < ?", c);
      update("DELETE FROM device_events WHERE at < ?", c);
    }

    @Override
    public long append(DeviceEvent e) {
      update("INSERT INTO device_events (type, subject, device_id, role, actor, at)"
          + " VALUES (?, ?, ?, ?, ?, ?)", e.type().name(), e.subject(),
          e.deviceId().orElse(null), e.role().orElse(null), e.actor(), millis(e.at()));
      return number("SELECT last_insert_rowid()");
    }

    @Override
    public List<DeviceEvent> events(long afterSeq, int limit) {
      return query("SELECT seq, type, subject, device_id, role, actor, at FROM device_events"
          + " WHERE seq > ? ORDER BY seq LIMIT ?", rs -> new DeviceEvent(rs.getLong(1),
              DeviceEvent.Type.valueOf(rs.getString(2)), rs.getString(3),
              Optional.ofNullable(rs.getString(4)), Optional.ofNullable(rs.getString(5)),
              rs.getString(6), instant(rs, 7)), afterSeq, limit);
    }

    private List<DeviceRequest> requests(String sql, Object... args) {
      return query(sql, rs -> new DeviceRequest(rs.getString(1), rs.getString(2),
          rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
          names(rs.getString(8)), rs.getString(9), instant(rs, 10), instant(rs, 11),
          instant(rs, 12), DeviceRequestState.valueOf(rs.getString(13)), rs.getInt(14) != 0,
          Optional.ofNullable(rs.getString(15)), optionalInstant(rs, 16),
          Optional.ofNullable(rs.getString(17))), args);
    }

    private List<PairedDevice> devices(String sql, Object... args) {
      return query(sql, rs -> new PairedDevice(rs.getString(1), rs.getString(2), rs.getString(3),
          rs.getString(4), rs.getString(5), names(rs.getString(6)), names(rs.getString(7)),
          instant(rs, 8), rs.getString(9), instant(rs, 10)), args);
    }

    private List<TokenRow> tokens(String sql, Object... args) {
      return query(sql, rs -> new TokenRow(new DeviceToken(rs.getString(1), rs.getString(2),
          rs.getInt(3), instant(rs, 4), rs.getString(5), optionalInstant(rs, 6),
          Optional.ofNullable(rs.getString(7)), optionalInstant(rs, 8)), rs.getString(9)), args);
    }

    private List<BootstrapRow> bootstrap(String sql, Object... args) {
      return query(sql, rs -> new BootstrapRow(new BootstrapToken(rs.getString(1), instant(rs, 2),
          instant(rs, 3), rs.getString(4), optionalInstant(rs, 5),
          Optional.ofNullable(rs.getString(6)), Optional.ofNullable(rs.getString(7))),
          rs.getString(8)), args);
    }

    private <T> List<T> query(String sql, RowReader<T> reader, Object... args) {
      try (PreparedStatement ps = prepare(sql, args); ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(reader.read(rs));
        }
        return out;
      } catch (SQLException e) {
        throw failure(e);
      }
    }

    private long number(String sql, Object... args) {
      try (PreparedStatement ps = prepare(sql, args); ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      } catch (SQLException e) {
        throw failure(e);
      }
    }

    private int update(String sql, Object... args) {
      try (PreparedStatement ps = prepare(sql, args)) {
        return ps.executeUpdate();
      } catch (SQLException e) {
        throw failure(e);
      }
    }

    private PreparedStatement prepare(String sql, Object... args) throws SQLException {
      return SqliteDatabases.prepare(connection, sql, args);
    }
  }

  @FunctionalInterface
  private interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private static Object[] requestRow(DeviceRequest r) {
    return new Object[] {
      r.requestId(), r.deviceId(), r.publicKey(), r.displayName(), r.platform(), r.clientId(),
      r.role(), names(r.scopes()), r.remoteAddress(), millis(r.createdAt()),
      millis(r.lastSeenAt()), millis(r.expiresAt()), r.state().name(), r.isUpgrade() ? 1 : 0,
      r.resolvedBy().orElse(null), r.resolvedAt().map(Instant::toEpochMilli).orElse(null),
      r.supersededBy().orElse(null)
    };
  }

  /** Names as a sorted JSON array of strings. */
  private static String names(Set<String> names) {
    ArrayNode array = Json.nodes().arrayNode();
    new TreeSet<>(names).forEach(array::add);
    return Json.text(array);
  }

  private static Set<String> names(String json) {
    Set<String> out = new TreeSet<>();
    Json.mapper().readTree(json).forEach(n -> out.add(n.stringValue()));
    return out;
  }

  private static long millis(Instant i) {
    return i.toEpochMilli();
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    return Instant.ofEpochMilli(rs.getLong(column));
  }

  private static Optional<Instant> optionalInstant(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
  }
}
