package dev.handshake.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.audit.AuditRecorder;
import dev.handshake.identity.KeyProtection;
import dev.handshake.json.Json;
import dev.handshake.server.ServerAudit;
import dev.handshake.server.SharedState;
import dev.handshake.store.postgres.PostgresAuditStore;
import dev.handshake.store.postgres.PostgresServer;
import dev.handshake.store.sqlite.SqliteAuditStore;
import dev.handshake.store.sqlite.SqliteLogStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code serve --db}: the audit chains and the node's own log go to PostgreSQL, the key stays in
 * {@code --data}; a data folder that already keeps this key's chain in SQLite is not forked.
 */
class ServeAuditOnPostgresTest {
  @RegisterExtension static final PostgresServer PG = new PostgresServer();

  @TempDir Path dir;

  @BeforeEach
  void emptyTheDatabase() {
    PG.truncate("audit_event", "audit_head", "audit_seen_nonce", "tlog_leaf");
  }

  @Test
  void withDbTheAuditIsKeptInPostgresUnderTheNodesOwnLogNameAndTheKeyStaysInTheDataFolder()
      throws Exception {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve)
        .parseArgs("--data", dir.toString(), "--db", PG.pg().url(),
            "--audit-passphrase-env", "HANDSHAKE_TEST_UNSET_VARIABLE");
    try (SharedState shared = SharedState.open(Optional.empty(), Optional.ofNullable(serve.dbUrl))) {
      serve.shared = shared; // what call() does
      try (ServerAudit audit = serve.openAudit()) {
        assertThat(audit).isNotNull();
        String agentId = audit.recorder().chain().agentId();
        assertThat(audit.ledger().origin()).isEqualTo(ServerAudit.DEFAULT_ORIGIN + "/" + agentId);
        audit.recorder()
            .record(AuditRecorder.Kind.PAIRING, "pairing.test", Json.object());

        assertThat(PostgresAuditStore.open(PG.db()).count(agentId)).isEqualTo(1);
        assertThat(dir.resolve(ServerAudit.KEY_FILE)).exists();
        assertThat(dir.resolve(SqliteAuditStore.FILE_NAME)).doesNotExist();
        assertThat(dir.resolve(SqliteLogStore.FILE_NAME)).doesNotExist();
      }
    }
  }

  @Test
  void aDataFolderWhoseChainIsInSqliteRefusesToStartASecondChainForTheSameKeyInPostgres()
      throws Exception {
    try (ServerAudit embedded = ServerAudit.open(
        dir, Optional.empty(), ServerAudit.DEFAULT_ORIGIN, ServerAudit.DEFAULT_KINDS,
        KeyProtection.defaults().withScryptN(KeyProtection.MIN_N), Clock.systemUTC())) {
      embedded.recorder().record(AuditRecorder.Kind.PAIRING, "pairing.test", Json.object());
    }
    try (SharedState shared = SharedState.open(Optional.empty(), Optional.of(PG.pg().url()))) {
      assertThatThrownBy(() -> ServerAudit.open(
              dir, Optional.empty(), ServerAudit.DEFAULT_ORIGIN, ServerAudit.DEFAULT_KINDS,
              KeyProtection.defaults().withScryptN(KeyProtection.MIN_N), Clock.systemUTC(), shared))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(SqliteAuditStore.FILE_NAME)
          .hasMessageContaining("new --data folder");
      assertThat(PostgresAuditStore.open(PG.db()).agents()).as("nothing written").isEmpty();
    }
  }
}
