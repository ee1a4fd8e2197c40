package dev.handshake.store.postgres;

import dev.handshake.audit.tsa.TimestampStore;
import dev.handshake.audit.tsa.TrustedTimestamp;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link TimestampStore} on PostgreSQL: table {@code audit_timestamp}, one row per (event hash,
 * token), beside (never inside) the audit events. A token is durable when {@link #add} returns. The
 * same token twice is stored once: the unique key is on the event hash and the token's SHA-256 (a
 * token of several KB is too long for a B-tree key).
 */
public final class PostgresTimestampStore implements TimestampStore {
  private final PostgresDatabase db;
  private volatile boolean closed;

  private PostgresTimestampStore(PostgresDatabase db) {
    this.db = db;
  }

  public static PostgresTimestampStore open(PostgresDatabase db) {
    return new PostgresTimestampStore(db);
  }

  @Override
  public boolean add(TrustedTimestamp timestamp) {
    checkOpen();
    return db.withConnection(
        "timestamp store: add",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO audit_timestamp (event_hash, gen_time_ms, tsa, source, token)"
                      + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (event_hash, token_sha256) DO NOTHING")) {
            s.setString(1, timestamp.eventHash());
            s.setLong(2, timestamp.genTime().toEpochMilli());
            s.setString(3, timestamp.tsa());
            s.setString(4, timestamp.source());
            s.setBytes(5, timestamp.token());
            return s.executeUpdate() == 1;
          }
        });
  }

  @Override
  public List<TrustedTimestamp> forEvent(String eventHash) {
    checkOpen();
    return db.withConnection(
        "timestamp store: read",
        c -> {
          List<TrustedTimestamp> out = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT gen_time_ms, tsa, source, token FROM audit_timestamp"
                      + " WHERE event_hash = ? ORDER BY id")) {
            s.setString(1, eventHash);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                out.add(
                    TrustedTimestamp.of(
                        eventHash,
                        Instant.ofEpochMilli(rs.getLong(1)),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getBytes(4)));
              }
            }
          }
          return out;
        });
  }

  /** Marks the store closed; the database stays open for the other stores. */
  @Override
  public void close() {
    closed = true;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("timestamp store is closed");
    }
  }
}
