package dev.handshake.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.identity.IdentityDocument;
import dev.handshake.json.Json;
import dev.handshake.store.postgres.DatabaseUnavailableException;
import dev.handshake.store.postgres.PostgresAuditStore;
import dev.handshake.store.postgres.PostgresDatabase;
import dev.handshake.store.postgres.PostgresServer;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.node.ObjectNode;

/**
 * Two nodes stamp audit events into one PostgreSQL database; the server is killed with SIGKILL
 * mid-run and restarted on its folder. Every event an append acknowledged must be there, in order,
 * and each chain must still verify; the nodes' pools recover without being reopened.
 */
class PostgresAuditCrashTest {
  @RegisterExtension static final PostgresServer SERVER = new PostgresServer();

  private static final Ed25519PrivateKey KEY_A =
      Ed25519PrivateKey.fromSeed(HexFormat.of().parseHex("21".repeat(32)));
  private static final Ed25519PrivateKey KEY_B =
      Ed25519PrivateKey.fromSeed(HexFormat.of().parseHex("22".repeat(32)));
  private static final int ACKS_BEFORE_KILL = 150;

  /** A node stamping into its own chain until the database fails under it. */
  private record Writer(AgentChain chain, List<String> acked, List<RuntimeException> failure) {
    static Writer on(PostgresDatabase db, Ed25519PrivateKey key) {
      return new Writer(
          AgentChain.open(key, PostgresAuditStore.open(db), Clock.systemUTC()),
          new CopyOnWriteArrayList<>(),
          new CopyOnWriteArrayList<>());
    }

    void run() {
      try {
        for (int i = 0; ; i++) {
          ObjectNode p = Json.object();
          p.put("event_type", "tick");
          p.put("i", i);
          acked.add(chain.append(p).hash()); // acknowledged: append returned
        }
      } catch (RuntimeException e) {
        failure.add(e);
      }
    }
  }

  @Test
  void aKilledServerLosesNoAcknowledgedEventAndTheChainsStillVerify() throws Exception {
    PostgresDatabase nodeA = SERVER.db();
    PostgresDatabase nodeB = SERVER.secondNode();
    Writer a = Writer.on(nodeA, KEY_A);
    Writer b = Writer.on(nodeB, KEY_B);
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      Future<?> runA = pool.submit(a::run);
      Future<?> runB = pool.submit(b::run);
      await()
          .atMost(Duration.ofMinutes(2))
          .until(
              () -> a.acked().size() >= ACKS_BEFORE_KILL && b.acked().size() >= ACKS_BEFORE_KILL);
      SERVER.pg().kill9();
      runA.get();
      runB.get();
    }
    assertThat(a.failure())
        .singleElement()
        .as("a write to a killed server fails with a clear exception")
        .isInstanceOf(DatabaseUnavailableException.class);
    assertThat(b.failure()).singleElement().isInstanceOf(DatabaseUnavailableException.class);

    SERVER.pg().start();
    AuditStore readA = PostgresAuditStore.open(nodeA);
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> readA.count(a.chain().agentId()) >= 0);
    for (Writer w : List.of(a, b)) {
      List<AuditEvent> stored = readA.events(w.chain().agentId());
      assertThat(stored.stream().map(AuditEvent::hash).toList())
          .as("every acknowledged event, in order; at most the one in flight beyond")
          .startsWith(w.acked().toArray(String[]::new))
          .hasSizeLessThanOrEqualTo(w.acked().size() + 1);
      assertThat(verify(stored, w.chain())).as("chain of %s", w.chain().agentId()).isTrue();
    }

    // The second node's pool recovers by itself and its chain continues where it stopped.
    AgentChain again = AgentChain.open(KEY_B, PostgresAuditStore.open(nodeB), Clock.systemUTC());
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> again.append(Json.object().put("event_type", "after-restart")) != null);
    assertThat(verify(readA.events(again.agentId()), again)).isTrue();
  }

  private static boolean verify(List<AuditEvent> events, AgentChain chain) {
    IdentityDocument identity = IdentityDocument.of(chain.publicKey(), 0, Optional.empty());
    ChainReport report =
        new ChainVerifier(VerifyOptions.ours()).verify(events, identity, Optional.empty());
    return report.valid();
  }
}
