package dev.handshake.audit.log;

import dev.handshake.store.sqlite.SqliteLogStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A child JVM appends to a {@link SqliteLogStore} and prints each index only after {@code append}
 * returned; the parent kills it with SIGKILL mid-stream and checks that every acknowledged leaf
 * survived with its exact bytes. (A kill tests process crashes; power loss additionally relies on
 * {@code synchronous=FULL}, see {@link SqliteLogStore}.)
 */
class SqliteCrashTest {
  private static final int ACKS_BEFORE_KILL = 200;

  /** The child: appends until killed. */
  public static final class Appender {
    public static void main(String[] args) {
      try (SqliteLogStore store = SqliteLogStore.open(Path.of(args[0]))) {
        for (int i = 0; ; i++) {
          byte[] entry = entry(i);
          long index = store.append(entry, MerkleHashes.leafHash(entry));
          System.out.println(index); // println flushes: the ack leaves only after the append
        }
      }
    }
  }

  static byte[] entry(int i) {
    return ("crash entry " + i + " " + "x".repeat(i % 97)).getBytes(UTF_8);
  }

  @Test
  @Timeout(60)
  void everyAcknowledgedAppendSurvivesSigkill(@TempDir Path dir) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child =
        new ProcessBuilder(
                java,
                "--enable-native-access=ALL-UNNAMED", // sqlite-jdbc loads its JNI library
                "-cp",
                System.getProperty("java.class.path"),
                Appender.class.getName(),
                dir.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    List<Long> acked = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
      String line;
      while (acked.size() < ACKS_BEFORE_KILL && (line = out.readLine()) != null) {
        acked.add(Long.parseLong(line.trim()));
      }
      child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close()
      assertThat(child.waitFor(20, TimeUnit.SECONDS)).as("child exits after SIGKILL").isTrue();
    }
    assertThat(acked).as("acknowledgements before the kill").hasSize(ACKS_BEFORE_KILL);

    try (SqliteLogStore store = SqliteLogStore.open(dir)) {
      assertThat(store.size()).isGreaterThanOrEqualTo(acked.size());
      for (long index : acked) {
        assertThat(store.entry(index)).as("entry %d", index).isEqualTo(entry((int) index));
        assertThat(store.leafHash(index)).isEqualTo(MerkleHashes.leafHash(entry((int) index)));
      }
    }
  }
}
