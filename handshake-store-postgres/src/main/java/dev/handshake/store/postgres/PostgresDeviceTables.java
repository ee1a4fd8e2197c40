package dev.handshake.store.postgres;

import dev.handshake.json.Json;
import dev.handshake.pairing.Pepper;
import dev.handshake.pairing.device.BootstrapToken;
import dev.handshake.pairing.device.DeviceEvent;
import dev.handshake.pairing.device.DevicePairingConfig;
import dev.handshake.pairing.device.DeviceRequest;
import dev.handshake.pairing.device.DeviceRequestState;
import dev.handshake.pairing.device.DeviceStore;
import dev.handshake.pairing.device.DeviceStores;
import dev.handshake.pairing.device.DeviceTables;
import dev.handshake.pairing.device.DeviceToken;
import dev.handshake.pairing.device.PairedDevice;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;

/**
 * Device pairing rows on PostgreSQL ({@code device_request}, {@code device_paired}, {@code
 * device_token}, {@code device_bootstrap}, {@code device_event}) under the one {@link DeviceStore}
 * rule set: {@link #store} puts it on top, as for memory and SQLite.
 *
 * <p>Like {@link PostgresPairingTables}: every unit of work first takes the device-pairing advisory
 * lock and then runs at READ COMMITTED, so the units of work of all nodes run one after the other
 * (two nodes approving one request, or redeeming one bootstrap token, give one success), exactly as
 * the SQLite store's {@code BEGIN IMMEDIATE} does between processes.
 */
public final class PostgresDeviceTables implements DeviceTables {
  /** The advisory lock of the device tables: class {@code "HSA"+4}, object 0. */
  static final int LOCK_CLASS = 0x48534104;

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

  private final PostgresDatabase db;
  private volatile boolean closed;

  private PostgresDeviceTables(PostgresDatabase db) {
    this.db = db;
  }

  public static PostgresDeviceTables open(PostgresDatabase db) {
    return new PostgresDeviceTables(db);
  }

  /**
   * A {@link DeviceStore} over the device tables on {@code db}.
   *
   * @param pepper the server's pepper; tokens are hashed under {@code derive("device-token")}
   */
  public static DeviceStore store(
      PostgresDatabase db, DevicePairingConfig config, Pepper pepper, Clock clock) {
    return DeviceStores.over(open(db), config, pepper, clock);
  }

  @Override
  public <T> T inTransaction(Work<T> work) {
    if (closed) {
      throw new IllegalStateException("device pairing store is closed");
    }
    return db.inTransaction(
        "device pairing store",
        c -> {
          Rows rows = new Rows(db, c, "device pairing store");
          rows.lock(LOCK_CLASS, 0);
          return work.run(new SqlTx(rows));
        });
  }

  /** Marks the tables closed; the database stays open for the other stores. */
  @Override
  public void close() {
    closed = true;
  }

  private static final class SqlTx implements Tx {
    private final Rows rows;

    SqlTx(Rows rows) {
      this.rows = rows;
    }

    @Override
    public Optional<DeviceRequest> request(String requestId) {
      return requests(
              "SELECT " + REQUEST_COLUMNS + " FROM device_request WHERE request_id = ?", requestId)
          .stream()
          .findFirst();
    }

    @Override
    public Optional<DeviceRequest> pendingByDevice(String deviceId) {
      return requests(
              "SELECT "
                  + REQUEST_COLUMNS
                  + " FROM device_request"
                  + " WHERE state = 'PENDING' AND device_id = ?",
              deviceId)
          .stream()
          .findFirst();
    }

    @Override
    public int countPending() {
      return (int) rows.number("SELECT count(*) FROM device_request WHERE state = 'PENDING'");
    }

    @Override
    public int countPendingFrom(String remoteAddress) {
      return (int)
          rows.number(
              "SELECT count(*) FROM device_request WHERE state = 'PENDING'"
                  + " AND remote_address = ?",
              remoteAddress);
    }

    @Override
    public List<DeviceRequest> pending() {
      return requests(
          "SELECT "
              + REQUEST_COLUMNS
              + " FROM device_request"
              + " WHERE state = 'PENDING' ORDER BY created_at");
    }

    @Override
    public List<DeviceRequest> pendingExpiredBy(Instant now, int limit) {
      return requests(
          "SELECT "
              + REQUEST_COLUMNS
              + " FROM device_request WHERE state ="
              + " 'PENDING' AND expires_at <= ? ORDER BY expires_at LIMIT ?",
          now.toEpochMilli(),
          limit);
    }

    @Override
    public void insert(DeviceRequest r) {
      rows.update(
          "INSERT INTO device_request ("
              + REQUEST_COLUMNS
              + ") VALUES"
              + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          requestRow(r));
    }

    @Override
    public void update(DeviceRequest r) {
      @Nullable Object[] row = requestRow(r);
      @Nullable Object[] args = new Object[row.length];
      System.arraycopy(row, 1, args, 0, row.length - 1);
      args[row.length - 1] = r.requestId();
      rows.update(
          "UPDATE device_request SET device_id = ?, public_key = ?, display_name = ?,"
              + " platform = ?, client_id = ?, role = ?, scopes = ?, remote_address = ?,"
              + " created_at = ?, last_seen_at = ?, expires_at = ?, state = ?, is_upgrade = ?,"
              + " resolved_by = ?, resolved_at = ?, superseded_by = ? WHERE request_id = ?",
          args);
    }

    @Override
    public Optional<PairedDevice> device(String deviceId) {
      return devices(
              "SELECT " + DEVICE_COLUMNS + " FROM device_paired WHERE device_id = ?", deviceId)
          .stream()
          .findFirst();
    }

    @Override
    public List<PairedDevice> devices() {
      return devices("SELECT " + DEVICE_COLUMNS + " FROM device_paired ORDER BY paired_at");
    }

    @Override
    public void putDevice(PairedDevice d) {
      rows.update(
          "INSERT INTO device_paired ("
              + DEVICE_COLUMNS
              + ") VALUES"
              + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET"
              + " public_key = excluded.public_key, display_name = excluded.display_name,"
              + " platform = excluded.platform, client_id = excluded.client_id,"
              + " roles = excluded.roles, scopes = excluded.scopes, paired_at = excluded.paired_at,"
              + " approved_by = excluded.approved_by, updated_at = excluded.updated_at",
          d.deviceId(),
          d.publicKey(),
          d.displayName(),
          d.platform(),
          d.clientId(),
          names(d.approvedRoles()),
          names(d.approvedScopes()),
          d.pairedAt().toEpochMilli(),
          d.approvedBy(),
          d.updatedAt().toEpochMilli());
    }

    @Override
    public boolean deleteDevice(String deviceId) {
      rows.update("DELETE FROM device_token WHERE device_id = ?", deviceId);
      return rows.update("DELETE FROM device_paired WHERE device_id = ?", deviceId) > 0;
    }

    @Override
    public Optional<TokenRow> token(String deviceId, String role) {
      return tokens(
              "SELECT "
                  + TOKEN_COLUMNS
                  + " FROM device_token WHERE device_id = ?"
                  + " AND role = ?",
              deviceId,
              role)
          .stream()
          .findFirst();
    }

    @Override
    public List<TokenRow> tokens(String deviceId) {
      return tokens(
          "SELECT " + TOKEN_COLUMNS + " FROM device_token WHERE device_id = ?" + " ORDER BY role",
          deviceId);
    }

    @Override
    public void putToken(TokenRow row) {
      DeviceToken t = row.token();
      rows.update(
          "INSERT INTO device_token ("
              + TOKEN_COLUMNS
              + ") VALUES"
              + " (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (device_id, role) DO UPDATE SET"
              + " generation = excluded.generation, issued_at = excluded.issued_at,"
              + " issued_by = excluded.issued_by, revoked_at = excluded.revoked_at,"
              + " revoked_by = excluded.revoked_by, last_used_at = excluded.last_used_at,"
              + " token_hash = excluded.token_hash",
          t.deviceId(),
          t.role(),
          t.generation(),
          t.issuedAt().toEpochMilli(),
          t.issuedBy(),
          Rows.millisOrNull(t.revokedAt()),
          t.revokedBy().orElse(null),
          Rows.millisOrNull(t.lastUsedAt()),
          row.hash());
    }

    @Override
    public Optional<BootstrapRow> bootstrapByHash(String hash) {
      return bootstrap(
              "SELECT " + BOOTSTRAP_COLUMNS + " FROM device_bootstrap" + " WHERE token_hash = ?",
              hash)
          .stream()
          .findFirst();
    }

    @Override
    public List<BootstrapToken> redeemableBootstrap(Instant now) {
      return bootstrap(
              "SELECT "
                  + BOOTSTRAP_COLUMNS
                  + " FROM device_bootstrap WHERE"
                  + " redeemed_at IS NULL AND expires_at > ? ORDER BY issued_at",
              now.toEpochMilli())
          .stream()
          .map(BootstrapRow::token)
          .toList();
    }

    @Override
    public void insertBootstrap(BootstrapRow row) {
      BootstrapToken t = row.token();
      rows.update(
          "INSERT INTO device_bootstrap ("
              + BOOTSTRAP_COLUMNS
              + ") VALUES"
              + " (?, ?, ?, ?, ?, ?, ?, ?)",
          t.id(),
          t.issuedAt().toEpochMilli(),
          t.expiresAt().toEpochMilli(),
          t.issuedBy(),
          Rows.millisOrNull(t.redeemedAt()),
          t.redeemedBy().orElse(null),
          t.redeemedKey().orElse(null),
          row.hash());
    }

    @Override
    public void updateBootstrap(BootstrapToken t) {
      rows.update(
          "UPDATE device_bootstrap SET redeemed_at = ?, redeemed_by = ?, redeemed_key = ?"
              + " WHERE id = ?",
          Rows.millisOrNull(t.redeemedAt()),
          t.redeemedBy().orElse(null),
          t.redeemedKey().orElse(null),
          t.id());
    }

    @Override
    public void forgetBefore(Instant cutoff) {
      long c = cutoff.toEpochMilli();
      rows.update("DELETE FROM device_request WHERE state <> 'PENDING' AND resolved_at < ?", c);
      rows.update("DELETE FROM device_bootstrap WHERE coalesce(redeemed_at, expires_at) < ?", c);
      rows.update("DELETE FROM device_event WHERE at < ?", c);
    }

    @Override
    public long append(DeviceEvent e) {
      return rows.number(
          "INSERT INTO device_event (type, subject, device_id, role, actor, at)"
              + " VALUES (?, ?, ?, ?, ?, ?) RETURNING seq",
          e.type().name(),
          e.subject(),
          e.deviceId().orElse(null),
          e.role().orElse(null),
          e.actor(),
          e.at().toEpochMilli());
    }

    @Override
    public List<DeviceEvent> events(long afterSeq, int limit) {
      return rows.query(
          "SELECT seq, type, subject, device_id, role, actor, at FROM device_event"
              + " WHERE seq > ? ORDER BY seq LIMIT ?",
          rs ->
              new DeviceEvent(
                  rs.getLong(1),
                  DeviceEvent.Type.valueOf(rs.getString(2)),
                  rs.getString(3),
                  Optional.ofNullable(rs.getString(4)),
                  Optional.ofNullable(rs.getString(5)),
                  rs.getString(6),
                  Rows.instant(rs, 7)),
          afterSeq,
          limit);
    }

    private List<DeviceRequest> requests(String sql, @Nullable Object... args) {
      return rows.query(
          sql,
          rs ->
              new DeviceRequest(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  names(rs.getString(8)),
                  rs.getString(9),
                  Rows.instant(rs, 10),
                  Rows.instant(rs, 11),
                  Rows.instant(rs, 12),
                  DeviceRequestState.valueOf(rs.getString(13)),
                  rs.getBoolean(14),
                  Optional.ofNullable(rs.getString(15)),
                  Rows.optionalInstant(rs, 16),
                  Optional.ofNullable(rs.getString(17))),
          args);
    }

    private List<PairedDevice> devices(String sql, @Nullable Object... args) {
      return rows.query(
          sql,
          rs ->
              new PairedDevice(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  names(rs.getString(6)),
                  names(rs.getString(7)),
                  Rows.instant(rs, 8),
                  rs.getString(9),
                  Rows.instant(rs, 10)),
          args);
    }

    private List<TokenRow> tokens(String sql, @Nullable Object... args) {
      return rows.query(
          sql,
          rs ->
              new TokenRow(
                  new DeviceToken(
                      rs.getString(1),
                      rs.getString(2),
                      rs.getInt(3),
                      Rows.instant(rs, 4),
                      rs.getString(5),
                      Rows.optionalInstant(rs, 6),
                      Optional.ofNullable(rs.getString(7)),
                      Rows.optionalInstant(rs, 8)),
                  rs.getString(9)),
          args);
    }

    private List<BootstrapRow> bootstrap(String sql, @Nullable Object... args) {
      return rows.query(
          sql,
          rs ->
              new BootstrapRow(
                  new BootstrapToken(
                      rs.getString(1),
                      Rows.instant(rs, 2),
                      Rows.instant(rs, 3),
                      rs.getString(4),
                      Rows.optionalInstant(rs, 5),
                      Optional.ofNullable(rs.getString(6)),
                      Optional.ofNullable(rs.getString(7))),
                  rs.getString(8)),
          args);
    }
  }

  private static @Nullable Object[] requestRow(DeviceRequest r) {
    return new @Nullable Object[] {
      r.requestId(),
      r.deviceId(),
      r.publicKey(),
      r.displayName(),
      r.platform(),
      r.clientId(),
      r.role(),
      names(r.scopes()),
      r.remoteAddress(),
      r.createdAt().toEpochMilli(),
      r.lastSeenAt().toEpochMilli(),
      r.expiresAt().toEpochMilli(),
      r.state().name(),
      r.isUpgrade(),
      r.resolvedBy().orElse(null),
      Rows.millisOrNull(r.resolvedAt()),
      r.supersededBy().orElse(null)
    };
  }

  /** Names as a sorted JSON array of strings, as the SQLite store writes them. */
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
}
