package dev.handshake.pairing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.store.postgres.PostgresPepperFingerprintStore;
import dev.handshake.store.postgres.PostgresServer;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fingerprint contract on a real PostgreSQL ({@code pairing_pepper_check}, migration V10),
 * {@link #otherNode()} on a second pool; what the table holds, and its checks.
 */
class PostgresPepperFingerprintStoreTest extends PepperFingerprintStoreContract {
  @RegisterExtension static final PostgresServer SERVER = new PostgresServer();

  @Override
  protected PepperFingerprintStore open() {
    SERVER.truncate("pairing_pepper_check");
    return PostgresPepperFingerprintStore.open(SERVER.db());
  }

  @Override
  protected PepperFingerprintStore otherNode() {
    return PostgresPepperFingerprintStore.open(SERVER.secondNode());
  }

  @Test
  void theTableHoldsOneRowWithTheFingerprintsHex() {
    store.claim(FIRST);
    store.claim(OTHER);

    String rows = SERVER.db().withConnection("test", c -> {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id, fingerprint FROM pairing_pepper_check")) {
        StringBuilder out = new StringBuilder();
        while (rs.next()) {
          out.append(rs.getInt(1)).append('=').append(rs.getString(2)).append(';');
        }
        return out.toString();
      }
    });
    assertThat(rows).isEqualTo("0=" + FIRST.hex() + ";");
  }

  @Test
  void theTableRefusesSomethingElseThanAFingerprintAndASecondRow() {
    assertThatThrownBy(() -> insert(0, "not a fingerprint")).hasMessageContaining("fingerprint");
    store.claim(FIRST);
    assertThatThrownBy(() -> insert(1, OTHER.hex())).hasMessageContaining("pairing_pepper_check");
  }

  private static void insert(int id, String fingerprint) {
    SERVER.db().withConnection("test", c -> {
      try (Statement s = c.createStatement()) {
        return s.executeUpdate("INSERT INTO pairing_pepper_check (id, fingerprint) VALUES ("
            + id + ", '" + fingerprint + "')");
      }
    });
  }
}
