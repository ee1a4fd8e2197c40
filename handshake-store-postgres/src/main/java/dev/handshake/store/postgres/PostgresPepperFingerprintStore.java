package dev.handshake.store.postgres;

import dev.handshake.pairing.PepperFingerprint;
import dev.handshake.pairing.PepperFingerprintStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * The fingerprint of the first node's pairing pepper in PostgreSQL ({@link
 * PepperFingerprintStore}), checked by every node that keeps pairing in this database ({@code
 * serve --db}) when it starts. Table {@code pairing_pepper_check} (migration V10): one row, id 0.
 *
 * <p>{@code INSERT … ON CONFLICT (id) DO NOTHING} writes ours only when no row exists, atomically
 * against any number of nodes; the {@code SELECT} after it (its own statement, so it sees the row
 * whichever node committed it) answers the stored fingerprint.
 */
public final class PostgresPepperFingerprintStore implements PepperFingerprintStore {
  private static final String CLAIM =
      "INSERT INTO pairing_pepper_check (id, fingerprint) VALUES (0, ?)"
          + " ON CONFLICT (id) DO NOTHING";
  private static final String READ = "SELECT fingerprint FROM pairing_pepper_check WHERE id = 0";
  private static final String WHAT = "pepper check";

  private final PostgresDatabase db;

  private PostgresPepperFingerprintStore(PostgresDatabase db) {
    this.db = db;
  }

  /** The fingerprint store on {@code db}. */
  public static PostgresPepperFingerprintStore open(PostgresDatabase db) {
    return new PostgresPepperFingerprintStore(db);
  }

  @Override
  public PepperFingerprint claim(PepperFingerprint ours) {
    String stored =
        db.withConnection(
            WHAT,
            c -> {
              try (PreparedStatement insert = c.prepareStatement(CLAIM)) {
                insert.setString(1, ours.hex());
                insert.executeUpdate();
              }
              try (PreparedStatement read = c.prepareStatement(READ);
                  ResultSet rs = read.executeQuery()) {
                if (!rs.next()) {
                  throw new UncheckedIOException(
                      new IOException(WHAT + ": the fingerprint row vanished after its insert"));
                }
                return rs.getString(1);
              }
            });
    try {
      return new PepperFingerprint(stored);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "PostgreSQL at " + db.config().address()
              + " holds something else than a pepper fingerprint in pairing_pepper_check", e);
    }
  }
}
