package dev.handshake.store.sqlite;

import dev.handshake.pairing.flow.DeviceFlowStore;
import dev.handshake.pairing.flow.FlowState;
import dev.handshake.pairing.flow.Scopes;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Flow states in {@value FlowDatabase#FILE_NAME}, shared by the server and other processes. */
final class SqliteDeviceFlowStore implements DeviceFlowStore {
  private static final String COLUMNS = "device_code_hash, request_id, client_id, scopes,"
      + " interval_ms, last_poll_at, expires_at, issued, jkt";

  private final FlowDatabase db;

  private SqliteDeviceFlowStore(FlowDatabase db) {
    this.db = db;
  }

  static SqliteDeviceFlowStore open(Path directory) throws IOException {
    return new SqliteDeviceFlowStore(FlowDatabase.open(directory, "device flow store"));
  }

  @Override
  public boolean insert(FlowState f) {
    return db.inTransaction(d -> d.update("INSERT OR IGNORE INTO device_flows (" + COLUMNS
        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", f.deviceCodeHash(), f.requestId(), f.clientId(),
        Scopes.join(f.scopes()), f.interval().toMillis(),
        f.lastPollAt().map(Instant::toEpochMilli).orElse(null), f.expiresAt().toEpochMilli(),
        f.issued() ? 1 : 0, f.jkt().orElse(null)) == 1);
  }

  @Override
  public Optional<FlowState> find(String deviceCodeHash) {
    return db.inTransaction(d -> read(d, deviceCodeHash));
  }

  @Override
  public <T> Optional<T> update(String deviceCodeHash, Function<FlowState, Change<T>> change) {
    return db.inTransaction(d -> {
      Optional<FlowState> current = read(d, deviceCodeHash);
      if (current.isEmpty()) {
        return Optional.<T>empty();
      }
      Change<T> c = change.apply(current.get());
      FlowState n = c.next();
      if (!n.deviceCodeHash().equals(deviceCodeHash)) {
        throw new IllegalArgumentException("a change may not move a flow to another device code");
      }
      d.update("UPDATE device_flows SET request_id = ?, client_id = ?, scopes = ?,"
          + " interval_ms = ?, last_poll_at = ?, expires_at = ?, issued = ?, jkt = ?"
          + " WHERE device_code_hash = ?", n.requestId(), n.clientId(), Scopes.join(n.scopes()),
          n.interval().toMillis(), n.lastPollAt().map(Instant::toEpochMilli).orElse(null),
          n.expiresAt().toEpochMilli(), n.issued() ? 1 : 0, n.jkt().orElse(null), deviceCodeHash);
      return Optional.of(c.result());
    });
  }

  @Override
  public int forgetExpiredBefore(Instant cutoff) {
    return db.inTransaction(d -> d.update("DELETE FROM device_flows WHERE expires_at < ?",
        cutoff.toEpochMilli()));
  }

  private static Optional<FlowState> read(FlowDatabase d, String hash) throws SQLException {
    try (PreparedStatement ps = d.prepare("SELECT " + COLUMNS
        + " FROM device_flows WHERE device_code_hash = ?", hash);
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return Optional.empty();
      }
      long lastPoll = rs.getLong(6);
      Optional<Instant> lastPollAt =
          rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(lastPoll));
      return Optional.of(new FlowState(rs.getString(1), rs.getString(2), rs.getString(3),
          scopes(rs.getString(4)), Duration.ofMillis(rs.getLong(5)), lastPollAt,
          Instant.ofEpochMilli(rs.getLong(7)), rs.getInt(8) != 0,
          Optional.ofNullable(rs.getString(9))));
    }
  }

  static Set<String> scopes(String joined) {
    return joined.isEmpty() ? Set.of() : Set.of(joined.split(" "));
  }

  @Override
  public void close() {
    db.close();
  }
}
