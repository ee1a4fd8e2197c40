package dev.handshake.audit;

import dev.handshake.store.sqlite.SqliteAuditStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

class SqliteAuditStoreTest extends AuditStoreContract {
  @TempDir Path dir;

  @Override
  protected AuditStore open() throws Exception {
    return SqliteAuditStore.open(dir);
  }

  @Override
  protected AuditStore reopen() throws Exception {
    store.close();
    return SqliteAuditStore.open(dir);
  }

  @Test
  void theDatabaseAndItsWriteAheadLogAreOwnerOnly() throws Exception {
    store.append(AissVectors.chainEvents().get(0));
    for (String name : List.of("audit.db", "audit.db-wal")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name))))
          .as(name)
          .isEqualTo("rw-------");
    }
  }

  @Test
  void aDatabaseLeftReadableByOthersIsNarrowedOnOpen() throws Exception {
    store.close();
    Files.setPosixFilePermissions(dir.resolve("audit.db"), PosixFilePermissions.fromString("rw-r--r--"));
    store = SqliteAuditStore.open(dir);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("audit.db"))))
        .isEqualTo("rw-------");
  }

  @Test
  void twoConnectionsToOneFolderCannotForkAChain() throws Exception {
    try (SqliteAuditStore second = SqliteAuditStore.open(dir)) {
      List<AuditEvent> chain = AissVectors.chainEvents();
      store.append(chain.get(0));
      store.append(chain.get(1));
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> second.append(chain.get(1)))
          .isInstanceOf(AuditStore.StaleHeadException.class);
      second.append(chain.get(2));
      assertThat(store.count(AissVectors.agentId("A"))).isEqualTo(3);
    }
  }

  /**
   * A child JVM stamps events into a store and prints each hash once append returned; we kill it
   * with SIGKILL mid-stream and check that every acknowledged event is there, in order, intact.
   */
  @Test
  void aKilledWriterLosesNoAcknowledgedEvent() throws Exception {
    store.close();
    Path data = dir.resolve("crash");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child =
        new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"),
                AuditCrashChild.class.getName(), data.toString())
            .redirectErrorStream(true)
            .start();
    List<String> acked = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (acked.size() < 150 && (line = out.readLine()) != null) {
        if (line.startsWith("ack ")) {
          acked.add(line.substring(4));
        }
      }
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(acked).hasSizeGreaterThanOrEqualTo(150);
    store = SqliteAuditStore.open(data);
    List<String> stored =
        store.events(store.agents().getFirst()).stream().map(AuditEvent::hash).toList();
    assertThat(stored).startsWith(acked.toArray(String[]::new));
    ChainReport report =
        new ChainVerifier(VerifyOptions.ours())
            .verify(store.events(store.agents().getFirst()), AuditCrashChild.identity(), Optional.empty());
    assertThat(report.valid()).isTrue();
  }
}
