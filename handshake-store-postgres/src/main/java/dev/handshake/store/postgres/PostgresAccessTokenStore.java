package dev.handshake.store.postgres;

import dev.handshake.pairing.Requester;
import dev.handshake.pairing.flow.AccessTokenStore;
import dev.handshake.pairing.flow.TokenRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@link AccessTokenStore} on PostgreSQL: table {@code pairing_access_token}, by token HMAC.
 * {@link #insert} takes an advisory lock on the requester first, so two nodes issuing tokens to one
 * requester at once still leave at most {@code keepPerRequester} of them.
 */
public final class PostgresAccessTokenStore implements AccessTokenStore {
  /** The advisory-lock class of the token store: class {@code "HSA"+3}, object hash(requester). */
  static final int LOCK_CLASS = 0x48534103;

  private static final String COLUMNS =
      "token_hash, channel_type, account_id, sender_id, scopes,"
          + " issued_at, expires_at, grant_ref, jkt";
  private static final String MINE = "channel_type = ? AND account_id = ? AND sender_id = ?";

  private final PostgresDatabase db;
  private volatile boolean closed;

  private PostgresAccessTokenStore(PostgresDatabase db) {
    this.db = db;
  }

  public static PostgresAccessTokenStore open(PostgresDatabase db) {
    return new PostgresAccessTokenStore(db);
  }

  @Override
  public void insert(TokenRecord t, int keepPerRequester) {
    if (keepPerRequester < 1) {
      throw new IllegalArgumentException("keepPerRequester must be at least 1");
    }
    checkOpen();
    Requester r = t.requester();
    db.inTransaction(
        "access token store: insert",
        c -> {
          try (PreparedStatement lock =
              c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
            lock.setInt(1, LOCK_CLASS);
            lock.setString(2, r.channelType() + '\n' + r.accountId() + '\n' + r.senderId());
            lock.execute();
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO pairing_access_token ("
                      + COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (token_hash) DO UPDATE SET"
                      + " channel_type = excluded.channel_type, account_id = excluded.account_id,"
                      + " sender_id = excluded.sender_id, scopes = excluded.scopes,"
                      + " issued_at = excluded.issued_at, expires_at = excluded.expires_at,"
                      + " grant_ref = excluded.grant_ref, jkt = excluded.jkt")) {
            s.setString(1, t.tokenHash());
            s.setString(2, r.channelType());
            s.setString(3, r.accountId());
            s.setString(4, r.senderId());
            s.setString(5, PostgresDeviceFlowStore.joinScopes(t.scopes()));
            s.setLong(6, t.issuedAt().toEpochMilli());
            s.setLong(7, t.expiresAt().toEpochMilli());
            s.setString(8, t.grantRef());
            s.setString(9, t.jkt().orElse(null));
            s.executeUpdate();
          }
          // The new token always stays; of the others, the oldest go first.
          try (PreparedStatement s =
              c.prepareStatement(
                  "DELETE FROM pairing_access_token WHERE "
                      + MINE
                      + " AND token_hash <> ? AND token_hash NOT IN (SELECT token_hash FROM"
                      + " pairing_access_token WHERE "
                      + MINE
                      + " AND token_hash <> ?"
                      + " ORDER BY issued_at DESC, token_hash DESC LIMIT ?)")) {
            s.setString(1, r.channelType());
            s.setString(2, r.accountId());
            s.setString(3, r.senderId());
            s.setString(4, t.tokenHash());
            s.setString(5, r.channelType());
            s.setString(6, r.accountId());
            s.setString(7, r.senderId());
            s.setString(8, t.tokenHash());
            s.setInt(9, keepPerRequester - 1);
            return s.executeUpdate();
          }
        });
  }

  @Override
  public Optional<TokenRecord> find(String tokenHash) {
    checkOpen();
    return db.withConnection(
        "access token store: find",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT " + COLUMNS + " FROM pairing_access_token WHERE token_hash = ?")) {
            s.setString(1, tokenHash);
            try (ResultSet rs = s.executeQuery()) {
              if (!rs.next()) {
                return Optional.<TokenRecord>empty();
              }
              return Optional.of(
                  new TokenRecord(
                      rs.getString(1),
                      new Requester(rs.getString(2), rs.getString(3), rs.getString(4)),
                      PostgresDeviceFlowStore.splitScopes(rs.getString(5)),
                      Instant.ofEpochMilli(rs.getLong(6)),
                      Instant.ofEpochMilli(rs.getLong(7)),
                      rs.getString(8),
                      Optional.ofNullable(rs.getString(9))));
            }
          }
        });
  }

  @Override
  public int deleteAll(Requester r) {
    checkOpen();
    return db.withConnection(
        "access token store: delete",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("DELETE FROM pairing_access_token WHERE " + MINE)) {
            s.setString(1, r.channelType());
            s.setString(2, r.accountId());
            s.setString(3, r.senderId());
            return s.executeUpdate();
          }
        });
  }

  @Override
  public int forgetExpiredBefore(Instant cutoff) {
    checkOpen();
    return db.withConnection(
        "access token store: forget",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("DELETE FROM pairing_access_token WHERE expires_at < ?")) {
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

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("access token store is closed");
    }
  }
}
