package dev.handshake.pairing.flow;

import dev.handshake.store.sqlite.SqliteStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

class SqliteDeviceFlowStoreTest extends DeviceFlowStoreContract {
  @TempDir Path dir;
  private int stores;

  @Override
  protected DeviceFlowStore create() {
    try {
      return SqliteStores.flows(dir.resolve("store-" + stores++));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aReopenedStoreHasItsFlows() throws IOException {
    Path data = dir.resolve("reopen");
    try (DeviceFlowStore s = SqliteStores.flows(data)) {
      s.insert(flow("h"));
    }
    try (DeviceFlowStore s = SqliteStores.flows(data)) {
      assertThat(s.find("h")).contains(flow("h"));
    }
  }

  @Test
  void twoStoresOnOneFileIssueOnce() throws IOException {
    Path data = dir.resolve("shared");
    try (DeviceFlowStore a = SqliteStores.flows(data);
        DeviceFlowStore b = SqliteStores.flows(data)) {
      a.insert(flow("h"));

      boolean first = a.update("h", f -> new DeviceFlowStore.Change<>(f.markIssued(), !f.issued()))
          .orElseThrow();
      boolean second = b.update("h", f -> new DeviceFlowStore.Change<>(f.markIssued(), !f.issued()))
          .orElseThrow();

      assertThat(first).isTrue();
      assertThat(second).as("the other connection sees the first one's write").isFalse();
    }
  }

  @Test
  void theFileIsPairingFlowDbAndOwnerOnly() throws IOException {
    Path data = dir.resolve("private");
    try (DeviceFlowStore s = SqliteStores.flows(data)) {
      s.insert(flow("h"));
      Path file = data.resolve(SqliteStores.FLOWS_FILE);
      assertThat(file.getFileName().toString()).isEqualTo("pairing-flow.db");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
    }
  }
}
