package dev.handshake.delegation;

import dev.handshake.delegation.ReplayStore.Outcome;
import dev.handshake.store.sqlite.SqliteReplayStore.Options;
import dev.handshake.store.sqlite.SqliteReplayStore.Synchronous;
import dev.handshake.store.sqlite.SqliteReplayStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteReplayStoreTest extends ReplayStoreContract {
  @TempDir Path dir;
  private int opened;

  @Override
  protected ReplayStore open(int maxEntries) throws IOException {
    return SqliteReplayStore.open(
        dir.resolve("store" + opened++), Options.DEFAULTS.withMaxEntries(maxEntries));
  }

  private Path currentDir() {
    return dir.resolve("store" + (opened - 1));
  }

  @Test
  @DisplayName("§3 item 6: recorded pairs survive closing and reopening the store")
  void item6_recordedPairsSurviveAReopen() throws Exception {
    store.checkAndRecord(A, "n1", KEEP, T0);
    store.checkAndRecord(B, "n1", T0.plusSeconds(60), T0);
    store.close();
    store = SqliteReplayStore.open(currentDir());
    assertThat(store.checkAndRecord(A, "n1", KEEP, T0.plusSeconds(1))).isEqualTo(Outcome.REPLAY);
    assertThat(store.size(T0)).isEqualTo(2);
    assertThat(store.checkAndRecord(B, "n1", KEEP, T0.plusSeconds(60)))
        .as("expired while the store was closed")
        .isEqualTo(Outcome.FIRST);
  }

  @Test
  @DisplayName("§3 item 6: two stores on one file see each other's pairs")
  void item6_twoStoresOnOneFileAgree() throws Exception {
    try (SqliteReplayStore second = SqliteReplayStore.open(currentDir())) {
      assertThat(store.checkAndRecord(A, "n1", KEEP, T0)).isEqualTo(Outcome.FIRST);
      assertThat(second.checkAndRecord(A, "n1", KEEP, T0)).isEqualTo(Outcome.REPLAY);
      assertThat(second.checkAndRecord(A, "n2", KEEP, T0)).isEqualTo(Outcome.FIRST);
      assertThat(store.checkAndRecord(A, "n2", KEEP, T0)).isEqualTo(Outcome.REPLAY);
      assertThat(second.size(T0)).isEqualTo(2);
    }
  }

  @Test
  @DisplayName("§3 item 6: threads racing one pair through two stores on one file get one FIRST")
  void item6_racingThroughTwoStoresOnOneFileGivesExactlyOneFirst() throws Exception {
    try (SqliteReplayStore second = SqliteReplayStore.open(currentDir())) {
      for (int round = 0; round < 25; round++) {
        String nonce = "race_" + round;
        List<Outcome> outcomes =
            race(THREADS, i -> (i % 2 == 0 ? store : second).checkAndRecord(A, nonce, KEEP, T0));
        assertThat(outcomes).as("round %d", round).containsOnlyOnce(Outcome.FIRST);
      }
    }
  }

  @Test
  @DisplayName(
      "§3 item 6: two threads with a store each, same nonces in order: one FIRST per nonce")
  void item6_twoConnectionsRecordingTheSameNoncesAgreeOnEach() throws Exception {
    int nonces = 300;
    try (SqliteReplayStore second = SqliteReplayStore.open(currentDir())) {
      List<List<Outcome>> byThread =
          race(
              2,
              t -> {
                ReplayStore mine = t == 0 ? store : second;
                List<Outcome> out = new ArrayList<>();
                for (int i = 0; i < nonces; i++) {
                  out.add(mine.checkAndRecord(A, "nonce_" + i, KEEP, T0));
                }
                return out;
              });
      Map<Integer, Integer> firsts = new HashMap<>();
      for (List<Outcome> outcomes : byThread) {
        for (int i = 0; i < nonces; i++) {
          if (outcomes.get(i) == Outcome.FIRST) {
            firsts.merge(i, 1, Integer::sum);
          }
        }
      }
      assertThat(firsts).hasSize(nonces);
      assertThat(firsts.values()).as("FIRST count per nonce").containsOnly(1);
    }
  }

  @Test
  @DisplayName("§3 item 6: the bound counts the pairs of every store on the file")
  void item6_theBoundIsSharedByTwoStoresOnOneFile() throws Exception {
    store.close();
    store = open(2);
    Options two = Options.DEFAULTS.withMaxEntries(2);
    try (SqliteReplayStore second = SqliteReplayStore.open(currentDir(), two)) {
      assertThat(store.checkAndRecord(A, "n1", KEEP, T0)).isEqualTo(Outcome.FIRST);
      assertThat(second.checkAndRecord(A, "n2", KEEP, T0)).isEqualTo(Outcome.FIRST);
      assertThat(store.checkAndRecord(A, "n3", KEEP, T0)).isEqualTo(Outcome.FULL);
      assertThat(second.checkAndRecord(A, "n3", KEEP, T0)).isEqualTo(Outcome.FULL);
    }
  }

  @Test
  @DisplayName("§3 item 6: expired rows are deleted every purgeInterval calls")
  void item6_expiredRowsArePurgedPeriodically() throws Exception {
    store.close();
    SqliteReplayStore sqlite =
        SqliteReplayStore.open(dir.resolve("purge"), Options.DEFAULTS.withPurgeInterval(10));
    store = sqlite;
    for (int i = 0; i < 5; i++) {
      sqlite.checkAndRecord(A, "old_" + i, T0.plusSeconds(1), T0);
    }
    for (int i = 0; i < 4; i++) {
      sqlite.checkAndRecord(A, "new_" + i, KEEP, T0.plusSeconds(5));
    }
    assertThat(sqlite.storedRows()).as("nine calls: no purge yet").isEqualTo(9);
    sqlite.checkAndRecord(A, "new_4", KEEP, T0.plusSeconds(5));
    assertThat(sqlite.storedRows()).as("the tenth call purged the five expired rows").isEqualTo(5);
  }

  @Test
  @DisplayName("§3 item 6: one purge deletes a bounded batch, oldest first")
  void item6_onePurgeDeletesABoundedBatch() throws Exception {
    store.close();
    SqliteReplayStore sqlite =
        SqliteReplayStore.open(dir.resolve("batch"), Options.DEFAULTS.withPurgeInterval(1));
    store = sqlite;
    for (int i = 0; i < 10; i++) {
      sqlite.checkAndRecord(A, "old_" + i, T0.plusSeconds(1 + i), T0);
    }
    Instant later = T0.plusSeconds(60);
    sqlite.checkAndRecord(A, "new_0", KEEP, later);
    assertThat(sqlite.storedRows()).as("four expired rows deleted, one added").isEqualTo(7);
    assertThat(sqlite.size(later)).isEqualTo(1);
    sqlite.checkAndRecord(A, "new_1", KEEP, later);
    sqlite.checkAndRecord(A, "new_2", KEEP, later);
    assertThat(sqlite.storedRows()).as("all ten expired rows gone").isEqualTo(3);
  }

  @Test
  void synchronousIsNormalByDefaultAndFullOnRequest() throws Exception {
    assertThat(((SqliteReplayStore) store).options().synchronous()).isEqualTo(Synchronous.NORMAL);
    assertThat(((SqliteReplayStore) store).synchronousLevel()).isEqualTo(1);
    try (SqliteReplayStore full =
        SqliteReplayStore.open(
            dir.resolve("full"), Options.DEFAULTS.withSynchronous(Synchronous.FULL))) {
      assertThat(full.synchronousLevel()).isEqualTo(2);
      assertThat(full.checkAndRecord(A, "n", KEEP, T0)).isEqualTo(Outcome.FIRST);
    }
  }

  @Test
  void theDatabaseAndItsWriteAheadLogAreOwnerOnly() throws Exception {
    store.checkAndRecord(A, "n", KEEP, T0);
    for (String name : List.of(SqliteReplayStore.FILE_NAME, SqliteReplayStore.FILE_NAME + "-wal")) {
      Path file = currentDir().resolve(name);
      assertThat(file).exists();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .as(name)
          .isEqualTo("rw-------");
    }
  }

  @Test
  void aFolderThatIsAFileIsAClearIoError() throws Exception {
    Path notAFolder = Files.writeString(dir.resolve("plain"), "x");
    assertThatThrownBy(() -> SqliteReplayStore.open(notAFolder))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot create delegation replay store")
        .hasMessageContaining(notAFolder.toString());
  }

  @Test
  void aFileThatIsNotADatabaseIsAClearIoError() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("garbage"));
    Files.writeString(folder.resolve(SqliteReplayStore.FILE_NAME), "not sqlite ".repeat(100));
    assertThatThrownBy(() -> SqliteReplayStore.open(folder))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot open delegation replay store")
        .hasMessageContaining("not a SQLite database");
  }

  @Test
  void aDatabaseFromAnotherSchemaVersionIsRefused() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("future"));
    String url = "jdbc:sqlite:" + folder.resolve(SqliteReplayStore.FILE_NAME).toAbsolutePath();
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.executeUpdate("PRAGMA user_version = 7");
    }
    assertThatThrownBy(() -> SqliteReplayStore.open(folder))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(folder.resolve(SqliteReplayStore.FILE_NAME).toString())
        .hasMessageContaining("schema version 7")
        .hasMessageContaining("reads version " + SqliteReplayStore.SCHEMA_VERSION);
  }

  @Test
  void aClosedStoreRefusesToAnswer() {
    store.close();
    assertThatThrownBy(() -> store.checkAndRecord(A, "n", KEEP, T0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  /**
   * A child JVM records fresh pairs with the default synchronous=NORMAL and prints each nonce once
   * FIRST came back; we kill it with SIGKILL mid-stream and check every acknowledged pair is a
   * replay in the reopened file.
   */
  @Test
  @DisplayName("§3 item 6: a killed process loses no pair it acknowledged as FIRST")
  void item6_aKilledWriterLosesNoAcknowledgedFirst() throws Exception {
    Path data = dir.resolve("crash");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child =
        new ProcessBuilder(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                ReplayCrashChild.class.getName(),
                data.toString())
            .redirectErrorStream(true)
            .start();
    List<String> acked = new ArrayList<>();
    List<String> other = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (acked.size() < 300 && (line = out.readLine()) != null) {
        if (line.startsWith("ack ")) {
          acked.add(line.substring(4));
        } else {
          other.add(line);
        }
      }
      child.destroyForcibly(); // SIGKILL on POSIX: no shutdown hooks, no close()
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(acked).as("child output: %s", other).hasSizeGreaterThanOrEqualTo(300);
    try (SqliteReplayStore reopened = SqliteReplayStore.open(data)) {
      for (String nonce : acked) {
        assertThat(
                reopened.checkAndRecord(
                    ReplayCrashChild.SIGNER, nonce, ReplayCrashChild.KEEP, ReplayCrashChild.NOW))
            .as("acknowledged %s", nonce)
            .isEqualTo(Outcome.REPLAY);
      }
      assertThat(reopened.size(ReplayCrashChild.NOW)).isGreaterThanOrEqualTo(acked.size());
    }
  }
}
