package dev.handshake.pairing;

import dev.handshake.store.sqlite.SqliteStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

/** The contract on the SQLite file, plus what only a file can show. */
class SqlitePairingStoreTest extends PairingStoreContract {
  @TempDir Path dir;
  private int stores;

  @Override
  PairingStore open(PairingConfig config) {
    try {
      return SqliteStores.pairing(dir.resolve("db" + stores++), config, PEPPER, clock);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  PairingStore second() {
    try {
      return SqliteStores.pairing(dir.resolve("db0"), store.config(), PEPPER, clock);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void item1_theFileHoldsNoPlaintextCodeAndIsOwnerOnly() throws IOException {
    RequestOutcome.Created c = created(store, ANN);
    store.close();
    Path file = dir.resolve("db0").resolve(SqliteStores.PAIRING_FILE);
    byte[] bytes = Files.readAllBytes(file);
    String all = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    Path wal = file.resolveSibling(file.getFileName() + "-wal");
    if (Files.exists(wal)) {
      all += new String(Files.readAllBytes(wal), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
    assertThat(all).doesNotContain(c.code().reveal()).doesNotContain(c.code().display());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void stateSurvivesReopening() throws IOException {
    RequestOutcome.Created c = created(store, ANN);
    store.close();
    try (PairingStore again = SqliteStores.pairing(dir.resolve("db0"), PairingConfig.defaults(), PEPPER, clock)) {
      assertThat(again.pending(Optional.empty())).singleElement()
          .satisfies(r -> {
            assertThat(r.requester()).isEqualTo(ANN);
            assertThat(r.displayMeta()).isEqualTo(Map.of("name", "Ann"));
            assertThat(r).isEqualTo(c.request());
          });
      assertThat(again.approve(code(c.code()), OWNER)).isInstanceOf(Resolution.Approved.class);
    }
  }
}
