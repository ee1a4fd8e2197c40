package dev.handshake.audit;

import dev.handshake.audit.log.CheckpointSigner;
import dev.handshake.audit.log.ConsistencyBundle;
import dev.handshake.audit.log.InMemoryLogStore;
import dev.handshake.audit.log.LogTrust;
import dev.handshake.audit.log.ProofBundle;
import dev.handshake.audit.log.SignedNote;
import dev.handshake.audit.log.TransparencyLog;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.json.CanonicalJson;
import dev.handshake.json.Json;
import dev.handshake.store.sqlite.SqliteAuditStore;
import dev.handshake.store.sqlite.SqliteLogStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import tools.jackson.databind.node.ObjectNode;

class AuditLedgerTest {
  static final String ORIGIN = "handshake.local/audit";
  static final Ed25519PrivateKey LOG_KEY = seed(7);
  static final Ed25519PrivateKey AGENT_A = seed(1);
  static final Ed25519PrivateKey AGENT_B = seed(2);

  @TempDir Path auditDir;
  @TempDir Path logDir;

  static Ed25519PrivateKey seed(int b) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) b);
    return Ed25519PrivateKey.fromSeed(s);
  }

  static ObjectNode payload(String type, int n) {
    ObjectNode p = Json.object();
    p.put("event_type", type);
    p.put("n", n);
    return p;
  }

  AuditLedger open() throws Exception {
    return open(AuditLedger.DEFAULT_MAX_INDEXED);
  }

  AuditLedger open(int maxIndexed) throws Exception {
    return AuditLedger.open(
        SqliteAuditStore.open(auditDir),
        TransparencyLog.open(SqliteLogStore.open(logDir)),
        CheckpointSigner.create(ORIGIN, LOG_KEY),
        maxIndexed);
  }

  @Test
  void recordsEventsAsCanonicalEntriesWithVerifiableProofs() throws Exception {
    try (AuditLedger ledger = open()) {
      AgentChain a = AgentChain.open(AGENT_A, ledger.store(), Clock.systemUTC());
      AuditEvent e0 = ledger.record(a, payload("x", 0));
      AuditEvent e1 = ledger.record(a, payload("x", 1));
      assertThat(ledger.size()).isEqualTo(2);
      assertThat(ledger.indexOf(e0.hash())).hasValue(0);
      assertThat(ledger.indexOf(e1.hash())).hasValue(1);
      assertThat(ledger.indexOf("00".repeat(32))).isEmpty();
      String expected =
          "{\"agent_id\":\"" + a.agentId() + "\",\"event_hash\":\"" + e1.hash()
              + "\",\"kind\":\"aiss-event\",\"seq\":1}";
      assertThat(new String(ledger.entry(1), StandardCharsets.UTF_8)).isEqualTo(expected);
      assertThat(a.events()).extracting(AuditEvent::hash).containsExactly(e0.hash(), e1.hash());

      LogTrust trust = LogTrust.of(ledger.verifierKey());
      SignedNote first = ledger.checkpoint();
      assertThat(trust.verifyCheckpoint(first).isValid()).isTrue();
      assertThat(ledger.checkpoint()).isSameAs(first); // cached while the size is unchanged
      assertThat(ProofBundle.verify(ledger.inclusionBundle(1), ledger.entry(1), trust).isValid())
          .isTrue();
      assertThat(ProofBundle.verify(ledger.inclusionBundle(1), ledger.entry(0), trust).isValid())
          .isFalse();

      ChainHead head = ledger.recordHead(a);
      assertThat(head.eventCount()).isEqualTo(2);
      ObjectNode headEntry = head.toJson();
      headEntry.put("kind", "chain-head");
      assertThat(ledger.entry(2)).isEqualTo(CanonicalJson.canonicalize(headEntry));
      assertThat(ledger.store().head(a.agentId())).contains(head);

      SignedNote second = ledger.checkpoint();
      assertThat(second).isNotSameAs(first);
      String consistency = ledger.consistencyBundle(2);
      assertThat(ConsistencyBundle.verify(consistency, trust).isValid()).isTrue();
      assertThat(ConsistencyBundle.parse(consistency).older().text()).isEqualTo(first.text());
      assertThat(ConsistencyBundle.verify(ledger.consistencyBundle(0), trust).isValid()).isTrue();
      assertThat(ConsistencyBundle.verify(ledger.consistencyBundle(3), trust).isValid()).isTrue();

      assertThatThrownBy(() -> ledger.inclusionBundle(3)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> ledger.inclusionBundle(-1)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> ledger.consistencyBundle(4)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> ledger.entry(3)).isInstanceOf(IndexOutOfBoundsException.class);
    }
  }

  @Test
  void reopeningRebuildsTheIndexAndAppendsNothing() throws Exception {
    String hash;
    try (AuditLedger ledger = open()) {
      AgentChain a = AgentChain.open(AGENT_A, ledger.store(), Clock.systemUTC());
      ledger.record(a, payload("x", 0));
      hash = ledger.record(a, payload("x", 1)).hash();
      ledger.recordHead(a);
    }
    try (AuditLedger ledger = open()) {
      assertThat(ledger.size()).isEqualTo(3);
      assertThat(ledger.indexOf(hash)).hasValue(1);
      assertThat(ledger.reconcile()).isZero();
    }
  }

  /**
   * A crash after the store write and before the log append is simulated by stamping straight
   * into the store: opening the ledger logs the missing events per agent, in store order.
   */
  @Test
  void openAppendsEventsMissingFromTheLogInStoreOrder() throws Exception {
    List<AuditEvent> logged;
    try (AuditLedger ledger = open()) {
      AgentChain a = AgentChain.open(AGENT_A, ledger.store(), Clock.systemUTC());
      logged = List.of(ledger.record(a, payload("x", 0)));
    }
    List<AuditEvent> missingA;
    List<AuditEvent> missingB;
    try (SqliteAuditStore store = SqliteAuditStore.open(auditDir)) {
      AgentChain a = AgentChain.open(AGENT_A, store, Clock.systemUTC());
      AgentChain b = AgentChain.open(AGENT_B, store, Clock.systemUTC());
      missingA = List.of(a.append(payload("x", 1)), a.append(payload("x", 2)));
      missingB = List.of(b.append(payload("y", 0)));
    }
    try (AuditLedger ledger = open()) {
      assertThat(ledger.size()).isEqualTo(4);
      String agentA = missingA.get(0).agentId();
      assertThat(ledger.entry(1))
          .isEqualTo(AuditLedger.eventEntry(agentA, missingA.get(0).hash(), 1));
      assertThat(ledger.entry(2))
          .isEqualTo(AuditLedger.eventEntry(agentA, missingA.get(1).hash(), 2));
      assertThat(ledger.entry(3))
          .isEqualTo(AuditLedger.eventEntry(missingB.get(0).agentId(), missingB.get(0).hash(), 0));
      assertThat(ledger.indexOf(logged.get(0).hash())).hasValue(0);
      assertThat(ledger.indexOf(missingB.get(0).hash())).hasValue(3);
      LogTrust trust = LogTrust.of(ledger.verifierKey());
      assertThat(ProofBundle.verify(ledger.inclusionBundle(3), ledger.entry(3), trust).isValid())
          .isTrue();
      assertThat(ledger.reconcile()).isZero();
    }
  }

  /**
   * Two ledgers (two server nodes) on one shared store, each with its own log: reopening one
   * reconciles only its own chain, so the other node's events never enter its log.
   */
  @Test
  void aLedgerScopedToItsAgentsLeavesOtherLedgersChainsOutOfItsLog() throws Exception {
    InMemoryAuditStore shared = new InMemoryAuditStore();
    String agentA = AgentChain.open(AGENT_A, shared, Clock.systemUTC()).agentId();
    String agentB = AgentChain.open(AGENT_B, shared, Clock.systemUTC()).agentId();
    InMemoryLogStore logA = new InMemoryLogStore();
    InMemoryLogStore logB = new InMemoryLogStore();
    AuditLedger nodeA = scoped(shared, logA, seed(8), agentA);
    AuditLedger nodeB = scoped(shared, logB, seed(9), agentB);
    AuditEvent a0 = nodeA.record(AgentChain.open(AGENT_A, shared, Clock.systemUTC()), payload("a", 0));
    AuditEvent b0 = nodeB.record(AgentChain.open(AGENT_B, shared, Clock.systemUTC()), payload("b", 0));
    // node A's next event reaches the store but not its log (a crash between the two writes)
    AuditEvent a1 = AgentChain.open(AGENT_A, shared, Clock.systemUTC()).append(payload("a", 1));

    AuditLedger reopenedA = scoped(shared, logA, seed(8), agentA);

    assertThat(reopenedA.size()).as("node A's log: its two events, not node B's").isEqualTo(2);
    assertThat(reopenedA.entry(1)).isEqualTo(AuditLedger.eventEntry(agentA, a1.hash(), 1));
    assertThat(reopenedA.indexOf(a0.hash())).hasValue(0);
    assertThat(reopenedA.indexOf(b0.hash())).isEmpty();
    assertThat(nodeB.size()).isEqualTo(1);
    assertThat(
            AuditLedger.open(
                    shared,
                    TransparencyLog.open(new InMemoryLogStore()),
                    CheckpointSigner.create(ORIGIN, LOG_KEY))
                .size())
        .as("an unscoped ledger logs every chain in the store")
        .isEqualTo(3);
  }

  private static AuditLedger scoped(
      AuditStore store, InMemoryLogStore log, Ed25519PrivateKey key, String agentId) {
    return AuditLedger.open(
        store,
        TransparencyLog.open(log),
        CheckpointSigner.create(ORIGIN + "/" + agentId, key),
        AuditLedger.DEFAULT_MAX_INDEXED,
        agentId::equals);
  }

  @Test
  void theHashIndexIsBounded() throws Exception {
    try (AuditLedger ledger = open(2)) {
      AgentChain a = AgentChain.open(AGENT_A, ledger.store(), Clock.systemUTC());
      AuditEvent e0 = ledger.record(a, payload("x", 0));
      AuditEvent e1 = ledger.record(a, payload("x", 1));
      AuditEvent e2 = ledger.record(a, payload("x", 2));
      assertThat(ledger.indexOf(e0.hash())).isEmpty();
      assertThat(ledger.indexOf(e1.hash())).hasValue(1);
      assertThat(ledger.indexOf(e2.hash())).hasValue(2);
    }
  }

  @Test
  void anUnsignablePayloadIsRefusedAndNothingIsLogged() throws Exception {
    try (AuditLedger ledger = open()) {
      AgentChain a = AgentChain.open(AGENT_A, ledger.store(), Clock.systemUTC());
      ObjectNode bad = Json.object();
      bad.put("f", 1.5);
      assertThatThrownBy(() -> ledger.record(a, bad)).isInstanceOf(IllegalArgumentException.class);
      assertThat(ledger.size()).isZero();
      assertThat(a.events()).isEmpty();
    }
  }
}
