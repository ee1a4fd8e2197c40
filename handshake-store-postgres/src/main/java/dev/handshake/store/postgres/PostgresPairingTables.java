package dev.handshake.store.postgres;

import dev.handshake.json.Json;
import dev.handshake.pairing.Grant;
import dev.handshake.pairing.PairingConfig;
import dev.handshake.pairing.PairingEvent;
import dev.handshake.pairing.PairingRequest;
import dev.handshake.pairing.PairingStore;
import dev.handshake.pairing.PairingStores;
import dev.handshake.pairing.PairingTables;
import dev.handshake.pairing.Pepper;
import dev.handshake.pairing.RequestState;
import dev.handshake.pairing.Requester;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pairing rows on PostgreSQL ({@code pairing_request}, {@code pairing_grant}, {@code
 * pairing_event}) under the one {@link PairingStore} rule set: {@link #store} puts {@code
 * PairingService} on top, as for memory and SQLite.
 *
 * <p><b>One unit of work at a time, across nodes.</b> Each transaction first takes the pairing
 * advisory lock ({@code pg_advisory_xact_lock}), then reads and writes at READ COMMITTED, where
 * every statement sees what was committed before the lock was granted. Pairing transactions of all
 * nodes therefore run one after the other, exactly like the SQLite store's {@code BEGIN IMMEDIATE}:
 * two nodes approving one code at once give one approval and one {@code ALREADY_APPROVED}
 * (pairing.md §3.2 rule 9, §4 item 21), and the pending caps count what the other node just
 * inserted. SERIALIZABLE isolation was not used: its snapshot would be taken before the lock is
 * granted and every race would end in a retried serialisation failure. Pairing is an operator-speed
 * flow; one short transaction at a time is plenty. A wait for the lock ends after the configured
 * lock timeout with an error, never a hang.
 */
public final class PostgresPairingTables implements PairingTables {
  /** The advisory lock of the pairing tables: class {@code "HSA"+2}, object 0. */
  static final int LOCK_CLASS = 0x48534102;

  private static final String REQUEST_COLUMNS =
      "request_id, channel_type, account_id, sender_id, display_meta, code_hash, created_at,"
          + " last_seen_at, expires_at, state, failed_attempts, resolved_by, resolved_at,"
          + " superseded_by";
  private static final String GRANT_COLUMNS =
      "channel_type, account_id, sender_id, request_id, approved_by, approved_at, scopes,"
          + " revoked_at, revoked_by";

  private final PostgresDatabase db;
  private volatile boolean closed;

  private PostgresPairingTables(PostgresDatabase db) {
    this.db = db;
  }

  /** The pairing tables on {@code db}. */
  public static PostgresPairingTables open(PostgresDatabase db) {
    return new PostgresPairingTables(db);
  }

  /** A {@link PairingStore} over the pairing tables on {@code db}. */
  public static PairingStore store(
      PostgresDatabase db, PairingConfig config, Pepper pepper, Clock clock) {
    return PairingStores.over(open(db), config, pepper, clock);
  }

  @Override
  public <T> T inTransaction(Work<T> work) {
    if (closed) {
      throw new IllegalStateException("pairing store is closed");
    }
    return db.inTransaction(
        "pairing store",
        c -> {
          Rows rows = new Rows(db, c, "pairing store");
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
    public Optional<PairingRequest> request(String requestId) {
      return one(
          "SELECT " + REQUEST_COLUMNS + " FROM pairing_request WHERE request_id = ?", requestId);
    }

    @Override
    public Optional<PairingRequest> pendingBySender(Requester r) {
      return one(
          "SELECT "
              + REQUEST_COLUMNS
              + " FROM pairing_request WHERE state = 'PENDING'"
              + " AND channel_type = ? AND account_id = ? AND sender_id = ?",
          r.channelType(),
          r.accountId(),
          r.senderId());
    }

    @Override
    public Optional<PairingRequest> latestByCodeHash(String codeHash) {
      return one(
          "SELECT "
              + REQUEST_COLUMNS
              + " FROM pairing_request WHERE code_hash = ?"
              + " ORDER BY created_at DESC LIMIT 1",
          codeHash);
    }

    @Override
    public int countPending(String channelType, String accountId) {
      return (int)
          rows.number(
              "SELECT count(*) FROM pairing_request WHERE state = 'PENDING'"
                  + " AND channel_type = ? AND account_id = ?",
              channelType,
              accountId);
    }

    @Override
    public int countPending() {
      return (int) rows.number("SELECT count(*) FROM pairing_request WHERE state = 'PENDING'");
    }

    @Override
    public List<PairingRequest> pending(Optional<String> channelType) {
      return channelType.isPresent()
          ? many(
              "SELECT "
                  + REQUEST_COLUMNS
                  + " FROM pairing_request WHERE state = 'PENDING'"
                  + " AND channel_type = ? ORDER BY created_at",
              channelType.get())
          : many(
              "SELECT "
                  + REQUEST_COLUMNS
                  + " FROM pairing_request WHERE state = 'PENDING'"
                  + " ORDER BY created_at");
    }

    @Override
    public List<PairingRequest> pendingExpiredBy(Instant now, int limit) {
      return many(
          "SELECT "
              + REQUEST_COLUMNS
              + " FROM pairing_request WHERE state = 'PENDING'"
              + " AND expires_at <= ? ORDER BY expires_at LIMIT ?",
          now.toEpochMilli(),
          limit);
    }

    @Override
    public void insert(PairingRequest r) {
      rows.update(
          "INSERT INTO pairing_request ("
              + REQUEST_COLUMNS
              + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          requestRow(r));
    }

    @Override
    public void update(PairingRequest r) {
      @Nullable Object[] row = requestRow(r);
      @Nullable Object[] args = new Object[row.length];
      System.arraycopy(row, 1, args, 0, row.length - 1);
      args[row.length - 1] = r.requestId();
      rows.update(
          "UPDATE pairing_request SET channel_type = ?, account_id = ?, sender_id = ?,"
              + " display_meta = ?, code_hash = ?, created_at = ?, last_seen_at = ?, expires_at = ?,"
              + " state = ?, failed_attempts = ?, resolved_by = ?, resolved_at = ?, superseded_by = ?"
              + " WHERE request_id = ?",
          args);
    }

    @Override
    public int forgetResolvedBefore(Instant cutoff) {
      rows.update("DELETE FROM pairing_event WHERE at < ?", cutoff.toEpochMilli());
      return rows.update(
          "DELETE FROM pairing_request WHERE state <> 'PENDING' AND resolved_at < ?",
          cutoff.toEpochMilli());
    }

    @Override
    public Optional<Grant> grant(Requester r) {
      return grantRows(
              "SELECT "
                  + GRANT_COLUMNS
                  + " FROM pairing_grant WHERE"
                  + " channel_type = ? AND account_id = ? AND sender_id = ?",
              r.channelType(),
              r.accountId(),
              r.senderId())
          .stream()
          .findFirst();
    }

    @Override
    public List<Grant> grants(boolean includeRevoked) {
      return grantRows(
          "SELECT "
              + GRANT_COLUMNS
              + " FROM pairing_grant"
              + (includeRevoked ? "" : " WHERE revoked_at IS NULL")
              + " ORDER BY approved_at");
    }

    @Override
    public void putGrant(Grant g) {
      ArrayNode scopes = Json.nodes().arrayNode();
      g.scopes().stream().sorted().forEach(scopes::add);
      rows.update(
          "INSERT INTO pairing_grant ("
              + GRANT_COLUMNS
              + ") VALUES (?, ?, ?, ?, ?, ?, ?,"
              + " ?, ?) ON CONFLICT (channel_type, account_id, sender_id) DO UPDATE SET"
              + " request_id = excluded.request_id, approved_by = excluded.approved_by,"
              + " approved_at = excluded.approved_at, scopes = excluded.scopes,"
              + " revoked_at = excluded.revoked_at, revoked_by = excluded.revoked_by",
          g.requester().channelType(),
          g.requester().accountId(),
          g.requester().senderId(),
          g.requestId(),
          g.approvedBy(),
          g.approvedAt().toEpochMilli(),
          Json.text(scopes),
          Rows.millisOrNull(g.revokedAt()),
          g.revokedBy().orElse(null));
    }

    @Override
    public long append(PairingEvent e) {
      return rows.number(
          "INSERT INTO pairing_event (type, request_id, channel_type, account_id,"
              + " sender_id, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING seq",
          e.type().name(),
          e.requestId(),
          e.requester().channelType(),
          e.requester().accountId(),
          e.requester().senderId(),
          e.actor(),
          e.at().toEpochMilli());
    }

    @Override
    public List<PairingEvent> events(long afterSeq, int limit) {
      return rows.query(
          "SELECT seq, type, request_id, channel_type, account_id, sender_id, actor,"
              + " at FROM pairing_event WHERE seq > ? ORDER BY seq LIMIT ?",
          rs ->
              new PairingEvent(
                  rs.getLong(1),
                  PairingEvent.Type.valueOf(rs.getString(2)),
                  rs.getString(3),
                  new Requester(rs.getString(4), rs.getString(5), rs.getString(6)),
                  rs.getString(7),
                  Rows.instant(rs, 8)),
          afterSeq,
          limit);
    }

    private Optional<PairingRequest> one(String query, @Nullable Object... args) {
      return many(query, args).stream().findFirst();
    }

    private List<PairingRequest> many(String query, @Nullable Object... args) {
      return rows.query(query, PostgresPairingTables::readRequest, args);
    }

    private List<Grant> grantRows(String query, @Nullable Object... args) {
      return rows.query(
          query,
          rs -> {
            Set<String> scopes = new LinkedHashSet<>();
            Json.mapper().readTree(rs.getString(7)).forEach(n -> scopes.add(n.stringValue()));
            return new Grant(
                new Requester(rs.getString(1), rs.getString(2), rs.getString(3)),
                rs.getString(4),
                rs.getString(5),
                Rows.instant(rs, 6),
                scopes,
                Rows.optionalInstant(rs, 8),
                Optional.ofNullable(rs.getString(9)));
          },
          args);
    }
  }

  private static @Nullable Object[] requestRow(PairingRequest r) {
    ObjectNode meta = Json.object();
    r.displayMeta().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> meta.put(e.getKey(), e.getValue()));
    return new @Nullable Object[] {
      r.requestId(),
      r.requester().channelType(),
      r.requester().accountId(),
      r.requester().senderId(),
      Json.text(meta),
      r.codeHash(),
      r.createdAt().toEpochMilli(),
      r.lastSeenAt().toEpochMilli(),
      r.expiresAt().toEpochMilli(),
      r.state().name(),
      r.failedAttempts(),
      r.resolvedBy().orElse(null),
      Rows.millisOrNull(r.resolvedAt()),
      r.supersededBy().orElse(null)
    };
  }

  private static PairingRequest readRequest(ResultSet rs) throws SQLException {
    Map<String, String> meta = new LinkedHashMap<>();
    JsonNode node = Json.mapper().readTree(rs.getString(5));
    node.properties().forEach(e -> meta.put(e.getKey(), e.getValue().stringValue()));
    return new PairingRequest(
        rs.getString(1),
        new Requester(rs.getString(2), rs.getString(3), rs.getString(4)),
        meta,
        rs.getString(6),
        Instant.ofEpochMilli(rs.getLong(7)),
        Instant.ofEpochMilli(rs.getLong(8)),
        Instant.ofEpochMilli(rs.getLong(9)),
        RequestState.valueOf(rs.getString(10)),
        rs.getInt(11),
        Optional.ofNullable(rs.getString(12)),
        Rows.optionalInstant(rs, 13),
        Optional.ofNullable(rs.getString(14)));
  }
}
