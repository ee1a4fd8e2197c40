package dev.handshake.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.audit.AgentChain;
import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.AuditLedger;
import dev.handshake.audit.AuditRecorder;
import dev.handshake.audit.ChainReport;
import dev.handshake.audit.ChainVerifier;
import dev.handshake.audit.VerifyOptions;
import dev.handshake.audit.log.LogTrust;
import dev.handshake.audit.log.ProofBundle;
import dev.handshake.identity.IdentityDocument;
import dev.handshake.identity.KeyProtection;
import dev.handshake.json.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.node.ObjectNode;

/**
 * The crash tests of the server's audit write path ({@link SqliteAuditCrashTest}, {@link
 * PostgresAuditNodeCrashTest}): a child JVM records through {@link ServerAudit} and prints each
 * event only once {@code record} returned; the test kills it with SIGKILL and checks the reopened
 * audit against what was acknowledged.
 */
final class ServerAuditCrash {
  private ServerAuditCrash() {}

  /** A reported acknowledgement: the event and the log index it was recorded at. */
  record Ack(String hash, long index) {}

  /**
   * The child: opens the audit of {@code args[0]} (with {@code args[1]}, a {@code --db} URL, in
   * PostgreSQL) and records until killed, printing {@code ack <event hash> <log index>}.
   */
  public static final class Recorder {
    public static void main(String[] args) throws Exception {
      SharedState shared =
          SharedState.open(Optional.empty(), args.length > 1 ? Optional.of(args[1]) : Optional.empty());
      ServerAudit audit = open(Path.of(args[0]), shared);
      for (int i = 0; ; i++) {
        ObjectNode payload = Json.object();
        payload.put("i", i);
        payload.put("packet_id", "crash-" + i);
        AuditEvent event =
            audit.recorder().record(AuditRecorder.Kind.DELEGATION, "tick", payload).orElseThrow();
        long index = audit.ledger().indexOf(event.hash()).orElseThrow();
        System.out.println("ack " + event.hash() + " " + index); // println flushes
      }
    }
  }

  /** The audit as {@code serve} opens it, with a cheap key derivation for the test. */
  static ServerAudit open(Path data, SharedState shared) throws Exception {
    return ServerAudit.open(
        data,
        Optional.empty(), // the passphrase file the first start generates in the folder
        ServerAudit.DEFAULT_ORIGIN,
        ServerAudit.DEFAULT_KINDS,
        KeyProtection.defaults().withScryptN(KeyProtection.MIN_N),
        Clock.systemUTC(),
        shared);
  }

  /** Starts the child on {@code data}, reads {@code acks} acknowledgements, then SIGKILLs it. */
  static List<Ack> recordThenKill(Path data, Optional<String> dbUrl, int acks) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(
        java,
        "--enable-native-access=ALL-UNNAMED", // sqlite-jdbc loads its JNI library
        "-Xmx256m",
        "-cp",
        System.getProperty("java.class.path"),
        Recorder.class.getName(),
        data.toString()));
    dbUrl.ifPresent(command::add);
    Process child =
        new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.DISCARD) // its logging; acks come on stdout
            .start();
    List<Ack> acked = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
      String line;
      while (acked.size() < acks && (line = out.readLine()) != null) {
        readAck(line, acked);
      }
      // SIGKILL: no shutdown hook, no close(), mid-write. Sent with kill(1) rather than
      // destroyForcibly(), which would also close our end of the pipe.
      assertThat(new ProcessBuilder("kill", "-KILL", Long.toString(child.pid())).start()
          .waitFor()).as("kill -KILL").isZero();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child exits after SIGKILL").isTrue();
      // The child kept recording while we read: acknowledgements it printed before the kill are
      // still in the pipe, and each of them is an event it was told is stored.
      while ((line = out.readLine()) != null) {
        readAck(line, acked);
      }
    } finally {
      child.destroyForcibly();
    }
    assertThat(acked).as("acknowledgements before the kill (is the child failing?)")
        .hasSizeGreaterThanOrEqualTo(acks);
    return acked;
  }

  private static void readAck(String line, List<Ack> acked) {
    if (line.startsWith("ack ")) {
      String[] parts = line.split(" ");
      acked.add(new Ack(parts[1], Long.parseLong(parts[2])));
    }
  }

  /**
   * Every acknowledged event is on the reopened chain, in order, at the log index it was
   * acknowledged with; the chain verifies; every entry has a valid inclusion proof; and the log
   * holds every event of the chain again (one stored but not yet logged when the kill came is
   * logged on reopening).
   */
  static void assertNothingAcknowledgedIsLost(ServerAudit reopened, List<Ack> acked) {
    AuditLedger ledger = reopened.ledger();
    AgentChain chain = reopened.recorder().chain();
    List<AuditEvent> events = chain.events();
    assertThat(events.stream().map(AuditEvent::hash).toList())
        .as("every acknowledged event, in order; at most the one in flight beyond")
        .startsWith(acked.stream().map(Ack::hash).toArray(String[]::new))
        .hasSizeLessThanOrEqualTo(acked.size() + 1);
    ChainReport report =
        new ChainVerifier(VerifyOptions.ours())
            .verify(
                events,
                IdentityDocument.of(chain.publicKey(), 0, Optional.empty()),
                Optional.empty());
    assertThat(report.valid()).as("the chain after the crash: %s", report).isTrue();

    assertThat(ledger.size()).as("the log holds every event of the chain again").isEqualTo(events.size());
    LogTrust trust = LogTrust.of(ledger.verifierKey());
    for (int seq = 0; seq < acked.size(); seq++) {
      Ack ack = acked.get(seq);
      assertThat(ledger.indexOf(ack.hash())).as("log index of event %d", seq).hasValue(ack.index());
      byte[] entry = ledger.entry(ack.index());
      assertThat(entry).isEqualTo(AuditLedger.eventEntry(chain.agentId(), ack.hash(), seq));
      assertThat(ProofBundle.verify(ledger.inclusionBundle(ack.index()), entry, trust).isValid())
          .as("inclusion proof of event %d", seq)
          .isTrue();
    }
  }
}
