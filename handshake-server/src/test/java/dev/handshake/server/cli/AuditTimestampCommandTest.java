package dev.handshake.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.audit.AgentChain;
import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.AuditExport;
import dev.handshake.audit.InMemoryAuditStore;
import dev.handshake.audit.tsa.LocalTsa;
import dev.handshake.audit.tsa.TestPki;
import dev.handshake.audit.tsa.TimestampStore;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.json.Json;
import dev.handshake.store.sqlite.SqliteAuditStore;
import dev.handshake.store.sqlite.SqliteTimestampStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code handshake audit timestamp} and {@code audit verify --tsa-root} in-process against a real
 * local TSA (docs/TIMESTAMPS.md; aiss.md §3 item 9, §4 item 26).
 */
class AuditTimestampCommandTest {
  /** The system clock: the TSA stamps real time, and genTime must be near the local clock. */
  private static final CommandEnvironment ENVIRONMENT =
      new CommandEnvironment(Map.<String, String>of()::get, SecretPrompt.none(), Clock.systemUTC(),
          new SecureRandom());

  private static TestPki pki;
  private static LocalTsa tsa;

  @TempDir Path dir;
  private Path data;
  private Path root;
  private Ed25519PrivateKey key;
  private List<AuditEvent> events;

  @BeforeAll
  static void startTsa() throws IOException {
    pki = TestPki.generate("Cli");
    tsa = LocalTsa.start(pki);
  }

  @AfterAll
  static void stopTsa() {
    tsa.close();
  }

  @BeforeEach
  void chain() throws IOException {
    tsa.behave(LocalTsa.Behaviour.GRANT);
    data = dir.resolve("data");
    root = dir.resolve("tsa-root.pem");
    Files.write(root, pki.caPem());
    key = Ed25519PrivateKey.generate(new SecureRandom());
    try (SqliteAuditStore store = SqliteAuditStore.open(data)) {
      AgentChain chain = AgentChain.open(key, store, Clock.systemUTC());
      chain.append(Json.object().put("event_type", "order").put("amount", 100));
      chain.append(Json.object().put("event_type", "order").put("amount", 200));
      events = chain.events();
    }
  }

  private CliRun timestamp(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of("audit", "timestamp", "--data", data.toString(), "--tsa", tsa.url().toString(),
                "--tsa-root", root.toString()));
    args.addAll(List.of(extra));
    return CliRun.execute(ENVIRONMENT, args.toArray(String[]::new));
  }

  private int sidecarCount(AuditEvent event) throws IOException {
    if (!Files.exists(data.resolve(SqliteTimestampStore.FILE_NAME))) {
      return 0;
    }
    try (TimestampStore sidecar = SqliteTimestampStore.open(data)) {
      return sidecar.forEvent(event.hash()).size();
    }
  }

  @Test
  void item26_timestampAnchorsTheHeadInTheSidecarAndLeavesTheChainAsSigned() throws IOException {
    CliRun r = timestamp();

    assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
    assertThat(r.out()).contains("anchored:  " + events.getLast().hash()).contains("genTime:");
    assertThat(sidecarCount(events.getLast())).isEqualTo(1);
    try (SqliteAuditStore store = SqliteAuditStore.open(data)) {
      List<AuditEvent> after = store.events(events.getFirst().agentId());
      assertThat(after).isEqualTo(events);
      assertThat(after.getLast().json().has("trusted_timestamp")).isFalse();
    }
  }

  @Test
  void timestampAnchorsTheEventNamedByItsHashAndRefusesAnUnknownOne() throws IOException {
    CliRun r = timestamp("--event", events.getFirst().hash());
    assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
    assertThat(sidecarCount(events.getFirst())).isEqualTo(1);

    CliRun unknown = timestamp("--event", "ab".repeat(32));
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("no event " + "ab".repeat(32));
  }

  @Test
  void anAnswerThatDoesNotVerifyStoresNothingAndExitsOne() throws IOException {
    tsa.behave(LocalTsa.Behaviour.NO_EKU);
    CliRun r = timestamp();
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("not-timestamping-certificate").contains("nothing stored");
    assertThat(sidecarCount(events.getLast())).isZero();
  }

  @Test
  void aTsaThatIsDownIsAClearErrorNotAHang() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    CliRun r =
        CliRun.execute(
            ENVIRONMENT, "audit", "timestamp", "--data", data.toString(), "--tsa",
            "http://127.0.0.1:" + port + "/tsr", "--tsa-root", root.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("(unreachable)");
  }

  @Test
  void aRootsFileThatIsNotACertificateIsUnusableInput() throws IOException {
    Files.writeString(root, "not a certificate");
    CliRun r = timestamp();
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--tsa-root");
  }

  @Test
  void verifyShowsSidecarTimestampsWhenGivenTheRoots() throws IOException {
    assertThat(timestamp().exit()).isZero();
    Path export = dir.resolve("chain.json");
    Files.write(
        export,
        AuditExport.of(
                AgentChain.open(key, new InMemoryAuditStore(), Clock.systemUTC())
                    .identity(0, Optional.empty()),
                events, 0, Optional.empty())
            .toBytes());

    CliRun plain = CliRun.execute(ENVIRONMENT, "audit", "verify", export.toString());
    CliRun withRoots =
        CliRun.execute(
            ENVIRONMENT, "audit", "verify", export.toString(), "--tsa-root", root.toString(),
            "--data", data.toString());
    Path strangerRoot = dir.resolve("stranger.pem");
    Files.write(strangerRoot, TestPki.generate("Stranger").caPem());
    CliRun stranger =
        CliRun.execute(
            ENVIRONMENT, "audit", "verify", export.toString(), "--tsa-root", strangerRoot.toString(),
            "--data", data.toString(), "--json");

    assertThat(plain.out()).doesNotContain("trusted timestamps");
    assertThat(withRoots.exit()).as("stderr: %s", withRoots.err()).isZero();
    assertThat(withRoots.out())
        .contains("trusted timestamps:    1")
        .contains("#1  " + events.getLast().hash().substring(0, 16) + "  sidecar  verified");
    assertThat(stranger.exit()).as("timestamps do not change the chain's verdict").isZero();
    assertThat(Json.tryParse(stranger.out().getBytes(StandardCharsets.UTF_8))
            .orElseThrow().path("trusted_timestamps").path(0).path("failure").stringValue())
        .isEqualTo("untrusted-chain");
  }
}
