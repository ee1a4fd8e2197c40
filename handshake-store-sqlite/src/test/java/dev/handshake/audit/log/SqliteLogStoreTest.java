package dev.handshake.audit.log;

import dev.handshake.store.sqlite.SqliteLogStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteLogStoreTest extends LogStoreContract {
  @TempDir Path dir;
  private int stores;

  @Override
  protected LogStore create(LogConfig config) {
    return SqliteLogStore.open(dir.resolve("store-" + stores++), config);
  }

  @Test
  void aReopenedLogHasTheSameLeavesRootAndProofs() {
    Path data = dir.resolve("reopen");
    TreeHead before;
    List<Sha256Hash> proofBefore;
    try (TransparencyLog log = TransparencyLog.open(SqliteLogStore.open(data))) {
      List<byte[]> batch = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        batch.add(entry(i));
      }
      log.appendAll(batch);
      log.append(entry(300));
      before = log.head();
      proofBefore = log.inclusionProof(123, before.size());
    }
    try (TransparencyLog log = TransparencyLog.open(SqliteLogStore.open(data))) {
      assertThat(log.head()).isEqualTo(before);
      assertThat(log.inclusionProof(123, before.size())).isEqualTo(proofBefore);
      assertThat(log.entry(300)).isEqualTo(entry(300));
      assertThat(log.append(entry(301))).isEqualTo(301);
    }
  }

  @Test
  void theDatabaseKeepsAWriteAheadLogWhileOpen() {
    Path data = dir.resolve("pragmas");
    try (SqliteLogStore store = SqliteLogStore.open(data)) {
      store.append(entry(0), MerkleHashes.leafHash(entry(0)));
      assertThat(Files.exists(data.resolve(SqliteLogStore.FILE_NAME + "-wal")))
          .as("write-ahead log beside the database while it is open")
          .isTrue();
    }
  }

  @Test
  void theLogDatabaseAndItsWriteAheadLogAreOwnerOnly() throws Exception {
    Path data = dir.resolve("private");
    try (SqliteLogStore store = SqliteLogStore.open(data)) {
      store.append(entry(0), MerkleHashes.leafHash(entry(0)));
      for (String suffix : new String[] {"", "-wal"}) {
        Path file = data.resolve(SqliteLogStore.FILE_NAME + suffix);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file)))
            .as(file.toString())
            .isEqualTo("rw-------");
      }
    }
  }

  @Test
  void aSecondStoreCannotOpenALogThatIsInUse() {
    Path data = dir.resolve("locked");
    try (SqliteLogStore first = SqliteLogStore.open(data)) {
      first.append(entry(0), MerkleHashes.leafHash(entry(0)));
      assertThatThrownBy(() -> SqliteLogStore.open(data).close())
          .isInstanceOf(LogStoreException.class);
      assertThat(first.append(entry(1), MerkleHashes.leafHash(entry(1)))).isEqualTo(1);
    }
  }

  @Test
  void nativeLibraryTempFolderDefaultsToTheDataFolder() {
    SqliteLogStore.open(dir.resolve("tmpdir")).close();
    assertThat(System.getProperty("org.sqlite.tmpdir")).isNotNull();
  }
}
