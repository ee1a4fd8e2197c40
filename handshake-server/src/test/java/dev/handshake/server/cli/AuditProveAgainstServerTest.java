package dev.handshake.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.audit.AgentChain;
import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.AuditLedger;
import dev.handshake.audit.AuditRecorder;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.identity.KeyProtection;
import dev.handshake.json.Json;
import dev.handshake.server.HandshakeServer;
import dev.handshake.server.ServerAudit;
import dev.handshake.server.ServerConfig;
import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/** {@code audit checkpoint|prove} fetch from a real server; {@code verify-proof} checks offline. */
class AuditProveAgainstServerTest {
  @TempDir Path data;
  @TempDir Path work;

  private static CliRun run(String... args) {
    CommandEnvironment environment =
        new CommandEnvironment(k -> null, p -> Optional.empty(), Clock.systemUTC(), new SecureRandom());
    return CliRun.execute(environment, args);
  }

  @Test
  void proveFetchesABundleThatVerifiesOfflineAndCheckpointVerifiesWithTheLogKey() throws Exception {
    ServerAudit audit =
        ServerAudit.open(
            data, Optional.empty(), ServerAudit.DEFAULT_ORIGIN, EnumSet.allOf(AuditRecorder.Kind.class),
            KeyProtection.defaults().withScryptN(KeyProtection.MIN_N), Clock.systemUTC());
    SessionConfig config = SessionConfig.defaults();
    try (HandshakeServer server =
        HandshakeServer.start(
            new ServerConfig("127.0.0.1", 0, Optional.empty(), config, 100, false),
            SessionEngine.builder().config(config).build(),
            audit)) {
      String base = server.baseUri().toString();
      AuditLedger ledger = server.auditLedger().orElseThrow();
      AgentChain agent =
          AgentChain.open(Ed25519PrivateKey.generate(new SecureRandom()), ledger.store(), Clock.systemUTC());
      AuditEvent event = null;
      for (int i = 0; i < 5; i++) {
        ObjectNode p = Json.object();
        p.put("event_type", "step");
        p.put("i", i);
        event = ledger.record(agent, p);
      }
      String logKey = ledger.verifierKey().text();

      CliRun checkpoint = run("audit", "checkpoint", "--server", base, "--log-key", logKey);
      assertThat(checkpoint.exit()).as(checkpoint.err()).isZero();
      assertThat(checkpoint.out()).startsWith(ServerAudit.DEFAULT_ORIGIN + "\n");

      Path bundle = work.resolve("proof.txt");
      CliRun prove = run("audit", "prove", "--server", base, "--event", event.hash(), "--out", bundle.toString(), "--log-key", logKey);
      assertThat(prove.exit()).as(prove.err()).isZero();
      Path entry = work.resolve("proof.txt.entry");
      assertThat(Files.readString(entry)).contains(event.hash());

      CliRun verify = run("audit", "verify-proof", "--log-key", logKey, "--inclusion", bundle.toString(), "--entry", entry.toString());
      assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();

      CliRun unknown = run("audit", "prove", "--server", base, "--event", "0".repeat(64), "--out", work.resolve("x").toString());
      assertThat(unknown.exit()).isEqualTo(2);
      assertThat(unknown.err()).contains("404");
    }
  }
}
