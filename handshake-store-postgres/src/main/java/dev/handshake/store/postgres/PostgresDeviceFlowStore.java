package dev.handshake.store.postgres;

import dev.handshake.pairing.flow.DeviceFlowStore;
import dev.handshake.pairing.flow.FlowState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The {@link DeviceFlowStore} on PostgreSQL: table {@code pairing_device_flow}. {@link #update}
 * reads the flow with {@code SELECT … FOR UPDATE}, so two nodes polling one device code at once
 * take turns on the row and only the first sees the token as not yet issued.
 */
public final class PostgresDeviceFlowStore implements DeviceFlowStore {
  private static final String COLUMNS =
      "device_code_hash, request_id, client_id, scopes,"
          + " interval_ms, last_poll_at, expires_at, issued, jkt";

  private final PostgresDatabase db;
  private volatile boolean closed;

  private PostgresDeviceFlowStore(PostgresDatabase db) {
    this.db = db;
  }

  public static PostgresDeviceFlowStore open(PostgresDatabase db) {
    return new PostgresDeviceFlowStore(db);
  }

  @Override
  public boolean insert(FlowState f) {
    checkOpen();
    return db.withConnection(
        "device flow store: insert",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO pairing_device_flow ("
                      + COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (device_code_hash) DO NOTHING")) {
            s.setString(1, f.deviceCodeHash());
            bindState(s, 2, f);
            return s.executeUpdate() == 1;
          }
        });
  }

  @Override
  public Optional<FlowState> find(String deviceCodeHash) {
    checkOpen();
    return db.withConnection("device flow store: find", c -> read(c, deviceCodeHash, ""));
  }

  @Override
  public <T> Optional<T> update(String deviceCodeHash, Function<FlowState, Change<T>> change) {
    checkOpen();
    return db.inTransaction(
        "device flow store: update",
        c -> {
          Optional<FlowState> current = read(c, deviceCodeHash, " FOR UPDATE");
          if (current.isEmpty()) {
            return Optional.<T>empty();
          }
          Change<T> next = change.apply(current.get());
          FlowState n = next.next();
          if (!n.deviceCodeHash().equals(deviceCodeHash)) {
            throw new IllegalArgumentException(
                "a change may not move a flow to another device code");
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE pairing_device_flow SET request_id = ?,"
                      + " client_id = ?, scopes = ?, interval_ms = ?, last_poll_at = ?, expires_at = ?,"
                      + " issued = ?, jkt = ? WHERE device_code_hash = ?")) {
            bindState(s, 1, n);
            s.setString(9, deviceCodeHash);
            s.executeUpdate();
          }
          return Optional.of(next.result());
        });
  }

  @Override
  public int forgetExpiredBefore(Instant cutoff) {
    checkOpen();
    return db.withConnection(
        "device flow store: forget",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("DELETE FROM pairing_device_flow WHERE expires_at < ?")) {
            s.setLong(1, cutoff.toEpochMilli());
            return s.executeUpdate();
          }
        });
  }

  /** Marks the store closed; the database stays open for the other stores. */
  @Override
  public void close() {
    closed = true;
  }

  /** Binds every column but the hash, from parameter {@code first} on. */
  private static void bindState(PreparedStatement s, int first, FlowState f) throws SQLException {
    s.setString(first, f.requestId());
    s.setString(first + 1, f.clientId());
    s.setString(first + 2, joinScopes(f.scopes()));
    s.setLong(first + 3, f.interval().toMillis());
    if (f.lastPollAt().isPresent()) {
      s.setLong(first + 4, f.lastPollAt().get().toEpochMilli());
    } else {
      s.setNull(first + 4, Types.BIGINT);
    }
    s.setLong(first + 5, f.expiresAt().toEpochMilli());
    s.setBoolean(first + 6, f.issued());
    s.setString(first + 7, f.jkt().orElse(null));
  }

  private static Optional<FlowState> read(Connection c, String hash, String lock)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM pairing_device_flow WHERE device_code_hash = ?" + lock)) {
      s.setString(1, hash);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        long lastPoll = rs.getLong(6);
        Optional<Instant> lastPollAt =
            rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(lastPoll));
        return Optional.of(
            new FlowState(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                splitScopes(rs.getString(4)),
                Duration.ofMillis(rs.getLong(5)),
                lastPollAt,
                Instant.ofEpochMilli(rs.getLong(7)),
                rs.getBoolean(8),
                Optional.ofNullable(rs.getString(9))));
      }
    }
  }

  /** Sorted and space-separated, as the SQLite store and a token response write them. */
  static String joinScopes(Set<String> scopes) {
    return String.join(" ", new TreeSet<>(scopes));
  }

  static Set<String> splitScopes(String joined) {
    return joined.isEmpty() ? Set.of() : Set.of(joined.split(" "));
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("device flow store is closed");
    }
  }
}
