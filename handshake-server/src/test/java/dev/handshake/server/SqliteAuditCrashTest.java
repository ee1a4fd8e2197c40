package dev.handshake.server;

import dev.handshake.server.ServerAuditCrash.Ack;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite crash test of the server's audit (issue 7 "Faults"): a child JVM opens {@link
 * ServerAudit} on a data folder as {@code handshake serve} does without {@code --db}, and records
 * events through its recorder (the server chain in {@code audit.db}, fsynced, then the
 * transparency log in {@code transparency-log.db}, fsynced), printing each only after {@code
 * record} returned. The test kills it with SIGKILL mid-run and reopens the folder: nothing
 * acknowledged is lost, the chain verifies, every entry proves its inclusion in the log.
 */
class SqliteAuditCrashTest {
  private static final int ACKS_BEFORE_KILL = 150;

  @Test
  @Timeout(120)
  void aServerKilledMidRunLosesNoAcknowledgedAuditEventAndTheChainAndLogStillVerify(
      @TempDir Path data) throws Exception {
    List<Ack> acked = ServerAuditCrash.recordThenKill(data, Optional.empty(), ACKS_BEFORE_KILL);

    try (ServerAudit reopened = ServerAuditCrash.open(data, SharedState.embedded())) {
      ServerAuditCrash.assertNothingAcknowledgedIsLost(reopened, acked);
    }
  }
}
