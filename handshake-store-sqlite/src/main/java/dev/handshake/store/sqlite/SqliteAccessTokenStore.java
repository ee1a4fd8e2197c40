package dev.handshake.store.sqlite;

import dev.handshake.pairing.Requester;
import dev.handshake.pairing.flow.AccessTokenStore;
import dev.handshake.pairing.flow.Scopes;
import dev.handshake.pairing.flow.TokenRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/** Access tokens (their HMACs) in {@value FlowDatabase#FILE_NAME}, beside the device flows. */
final class SqliteAccessTokenStore implements AccessTokenStore {
  private static final String COLUMNS = "token_hash, channel_type, account_id, sender_id, scopes,"
      + " issued_at, expires_at, grant_ref, jkt";
  private static final String MINE = "channel_type = ? AND account_id = ? AND sender_id = ?";

  private final FlowDatabase db;

  private SqliteAccessTokenStore(FlowDatabase db) {
    this.db = db;
  }

  static SqliteAccessTokenStore open(Path directory) throws IOException {
    return new SqliteAccessTokenStore(FlowDatabase.open(directory, "access token store"));
  }

  @Override
  public void insert(TokenRecord t, int keepPerRequester) {
    if (keepPerRequester < 1) {
      throw new IllegalArgumentException("keepPerRequester must be at least 1");
    }
    Requester r = t.requester();
    db.inTransaction(d -> {
      d.update("INSERT OR REPLACE INTO access_tokens (" + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", t.tokenHash(), r.channelType(), r.accountId(),
          r.senderId(), Scopes.join(t.scopes()), t.issuedAt().toEpochMilli(),
          t.expiresAt().toEpochMilli(), t.grantRef(), t.jkt().orElse(null));
      // The new token always stays; of the others, the oldest go first.
      return d.update("DELETE FROM access_tokens WHERE " + MINE + " AND token_hash <> ?"
          + " AND token_hash NOT IN (SELECT token_hash FROM access_tokens WHERE " + MINE
          + " AND token_hash <> ? ORDER BY issued_at DESC, token_hash DESC LIMIT ?)",
          r.channelType(), r.accountId(), r.senderId(), t.tokenHash(),
          r.channelType(), r.accountId(), r.senderId(), t.tokenHash(), keepPerRequester - 1);
    });
  }

  @Override
  public Optional<TokenRecord> find(String tokenHash) {
    return db.inTransaction(d -> {
      try (PreparedStatement ps = d.prepare("SELECT " + COLUMNS
          + " FROM access_tokens WHERE token_hash = ?", tokenHash);
          ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.<TokenRecord>empty();
        }
        return Optional.of(new TokenRecord(rs.getString(1),
            new Requester(rs.getString(2), rs.getString(3), rs.getString(4)),
            SqliteDeviceFlowStore.scopes(rs.getString(5)), Instant.ofEpochMilli(rs.getLong(6)),
            Instant.ofEpochMilli(rs.getLong(7)), rs.getString(8),
            Optional.ofNullable(rs.getString(9))));
      }
    });
  }

  @Override
  public int deleteAll(Requester r) {
    return db.inTransaction(d -> d.update("DELETE FROM access_tokens WHERE " + MINE,
        r.channelType(), r.accountId(), r.senderId()));
  }

  @Override
  public int forgetExpiredBefore(Instant cutoff) {
    return db.inTransaction(d -> d.update("DELETE FROM access_tokens WHERE expires_at < ?",
        cutoff.toEpochMilli()));
  }

  @Override
  public void close() {
    db.close();
  }
}
