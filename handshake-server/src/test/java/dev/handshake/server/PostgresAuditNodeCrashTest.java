package dev.handshake.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.audit.AuditRecorder;
import dev.handshake.json.Json;
import dev.handshake.server.ServerAuditCrash.Ack;
import dev.handshake.store.postgres.PostgresServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node side of the PostgreSQL crash tests (the database side is {@code
 * PostgresAuditCrashTest} in handshake-store-postgres): a child JVM records through {@link
 * ServerAudit} with its chain and log in PostgreSQL ({@code serve --db}) and is killed with SIGKILL
 * mid-run, perhaps mid-transaction. Reopened on the same data folder (same key, same log name),
 * nothing acknowledged is lost, the chain verifies, every entry proves its inclusion, and the dead
 * node's connections left no lock behind that stops the new writer.
 */
class PostgresAuditNodeCrashTest {
  @RegisterExtension static final PostgresServer PG = new PostgresServer();

  private static final int ACKS_BEFORE_KILL = 150;

  @Test
  @Timeout(180)
  void aNodeKilledMidRunLosesNoAcknowledgedAuditEventAndItsChainAndLogStillVerify(
      @TempDir Path data) throws Exception {
    List<Ack> acked =
        ServerAuditCrash.recordThenKill(data, Optional.of(PG.pg().url()), ACKS_BEFORE_KILL);

    try (SharedState shared = SharedState.open(Optional.empty(), Optional.of(PG.pg().url()));
        ServerAudit reopened = ServerAuditCrash.open(data, shared)) {
      ServerAuditCrash.assertNothingAcknowledgedIsLost(reopened, acked);
      long before = reopened.ledger().size();
      reopened.recorder().record(AuditRecorder.Kind.DELEGATION, "after-restart", Json.object());
      assertThat(reopened.ledger().size()).as("the restarted node writes on").isEqualTo(before + 1);
    }
  }
}
