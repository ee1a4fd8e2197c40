package dev.handshake.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.AuditStore;
import dev.handshake.audit.ChainReport;
import dev.handshake.audit.ChainVerifier;
import dev.handshake.audit.VerifyOptions;
import dev.handshake.audit.log.ConsistencyBundle;
import dev.handshake.audit.log.LogTrust;
import dev.handshake.audit.log.ProofBundle;
import dev.handshake.audit.log.SignedNote;
import dev.handshake.audit.log.VerifierKey;
import dev.handshake.crypto.Base64Text;
import dev.handshake.delegation.DelegationTrust;
import dev.handshake.delegation.HandoffConfig;
import dev.handshake.delegation.HandoffVectors;
import dev.handshake.delegation.Reasons;
import dev.handshake.identity.IdentityDocument;
import dev.handshake.identity.KeyProtection;
import dev.handshake.json.Json;
import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionEngine;
import dev.handshake.store.postgres.PostgresAuditStore;
import dev.handshake.store.postgres.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Two server nodes over real sockets keep their audit in one real PostgreSQL database ({@code
 * serve --db}, issue 7): each node records its delegation decisions on its own chain and in its own
 * transparency log, both logs verify through each node's {@code /v1/audit/*} endpoints with that
 * node's key, and the events are the rows in PostgreSQL.
 */
class TwoNodeAuditServerTest {
  @RegisterExtension static final PostgresServer PG = new PostgresServer();

  @TempDir Path dataA;
  @TempDir Path dataB;
  final List<AutoCloseable> opened = new ArrayList<>();
  final SessionConfig config = SessionConfig.defaults();

  /** A node as {@code serve --db} builds it: its key in {@code data}, its audit in PostgreSQL. */
  HandshakeServer node(Path data) throws Exception {
    SharedState shared = SharedState.open(Optional.empty(), Optional.of(PG.pg().url()));
    opened.add(shared);
    ServerAudit audit =
        ServerAudit.open(
            data,
            Optional.empty(),
            ServerAudit.DEFAULT_ORIGIN,
            ServerAudit.DEFAULT_KINDS,
            KeyProtection.defaults().withScryptN(KeyProtection.MIN_N),
            Clock.systemUTC(),
            shared);
    ServerDelegation delegation =
        ServerDelegation.open(
            data,
            HandoffConfig.defaults().withMaxPacketLifetime(Optional.empty()),
            new DelegationTrust(HandoffVectors.registryAbc(), Set.of()),
            Optional.of(audit.recorder()),
            shared,
            TwoNodeServerTest.VECTOR_CLOCK);
    HandshakeServer server =
        HandshakeServer.start(
            new ServerConfig("127.0.0.1", 0, Optional.empty(), config, 100, false),
            SessionEngine.builder().config(config).build(),
            audit,
            delegation);
    opened.add(0, server); // closed before its shared state
    return server;
  }

  @BeforeEach
  void emptyTheDatabase() {
    PG.truncate(
        "audit_event", "audit_head", "audit_seen_nonce", "tlog_leaf", "delegation_replay");
  }

  @AfterEach
  void stopNodes() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
    opened.clear();
  }

  @Test
  void bothNodesRecordTheirDecisionsOnTheirOwnChainAndLogInOneDatabaseAndBothVerify()
      throws Exception {
    HandshakeServer a = node(dataA);
    HandshakeServer b = node(dataB);
    String s1 = packet("S1_minimal");
    String s2 = packet("S2_full");

    Receipt a1 = verify(a, s1, "ACCEPT " + Reasons.ACCEPTED);
    Receipt b1 = verify(b, s1, "REJECT " + Reasons.REPLAY); // replay memory shared in PostgreSQL
    Receipt b2 = verify(b, s2, "ACCEPT " + Reasons.ACCEPTED);
    Receipt a2 = verify(a, s2, "REJECT " + Reasons.REPLAY);

    Map<HandshakeServer, List<Receipt>> receipts = new LinkedHashMap<>();
    receipts.put(a, List.of(a1, a2));
    receipts.put(b, List.of(b1, b2));
    List<String> origins = new ArrayList<>();
    for (var node : receipts.entrySet()) {
      HandshakeServer server = node.getKey();
      String agentId = server.auditRecorder().orElseThrow().chain().agentId();
      VerifierKey key = VerifierKey.parse(get(server, "/v1/audit/log-key").body().strip());
      assertThat(key.name())
          .as("each node's log is named after the node's own server agent")
          .isEqualTo(ServerAudit.DEFAULT_ORIGIN + "/" + agentId);
      origins.add(key.name());
      LogTrust trust = LogTrust.of(key);
      SignedNote checkpoint = SignedNote.parse(get(server, "/v1/audit/checkpoint").body());
      assertThat(trust.verifyCheckpoint(checkpoint).isValid()).as("checkpoint of %s", key.name()).isTrue();
      for (Receipt r : node.getValue()) {
        HttpResponse<String> proof = get(server, "/v1/audit/proof/event/" + r.eventHash());
        assertThat(proof.statusCode()).as(proof.body()).isEqualTo(200);
        byte[] entry = entry(server, r.logIndex());
        assertThat(Json.mapper().readTree(entry).path("agent_id").stringValue()).isEqualTo(agentId);
        assertThat(ProofBundle.verify(proof.body(), entry, trust).isValid())
            .as("inclusion of %s in the log of %s", r.eventHash(), key.name())
            .isTrue();
      }
    }
    assertThat(origins).doesNotHaveDuplicates();
    assertThat(get(a, "/v1/audit/proof/event/" + b1.eventHash()).statusCode())
        .as("node B's receipt is in node B's log only")
        .isEqualTo(404);

    // In PostgreSQL: the two server chains, each verifying against its node's key, and two logs.
    AuditStore db = PostgresAuditStore.open(PG.db());
    assertThat(db.agents()).containsExactlyInAnyOrder(agentOf(a), agentOf(b));
    for (var node : receipts.entrySet()) {
      var chain = node.getKey().auditRecorder().orElseThrow().chain();
      List<AuditEvent> events = db.events(chain.agentId());
      assertThat(events)
          .extracting(AuditEvent::hash)
          .containsExactlyElementsOf(node.getValue().stream().map(Receipt::eventHash).toList());
      ChainReport report =
          new ChainVerifier(VerifyOptions.ours())
              .verify(
                  events,
                  IdentityDocument.of(chain.publicKey(), 0, Optional.empty()),
                  Optional.empty());
      assertThat(report.valid()).as("chain of %s: %s", chain.agentId(), report).isTrue();
    }
    assertThat(leavesPerLog())
        .containsExactlyInAnyOrderEntriesOf(Map.of(origins.get(0), 2L, origins.get(1), 2L));
  }

  @Test
  void aRestartedNodeContinuesItsOwnLogWithoutTheOtherNodesEvents() throws Exception {
    HandshakeServer a = node(dataA);
    HandshakeServer b = node(dataB);
    Receipt a1 = verify(a, packet("S1_minimal"), "ACCEPT " + Reasons.ACCEPTED);
    verify(b, packet("S2_full"), "ACCEPT " + Reasons.ACCEPTED);
    verify(b, packet("S1_minimal"), "REJECT " + Reasons.REPLAY);
    String keyBefore = get(a, "/v1/audit/log-key").body();
    opened.remove(a);
    a.close();

    HandshakeServer again = node(dataA);

    assertThat(get(again, "/v1/audit/log-key").body()).as("same key, same log").isEqualTo(keyBefore);
    assertThat(again.auditLedger().orElseThrow().size())
        .as("reopening logged none of node B's events into node A's log")
        .isEqualTo(1);
    Receipt a2 = verify(again, packet("S2_full"), "REJECT " + Reasons.REPLAY);
    assertThat(a2.logIndex()).isEqualTo(a1.logIndex() + 1);
    LogTrust trust = LogTrust.of(VerifierKey.parse(keyBefore.strip()));
    HttpResponse<String> consistency = get(again, "/v1/audit/proof/consistency?from=1");
    assertThat(ConsistencyBundle.verify(consistency.body(), trust).isValid())
        .as("the log after the restart extends the log before it")
        .isTrue();
    assertThat(leavesPerLog().values()).containsExactlyInAnyOrder(2L, 2L);
  }

  record Receipt(String eventHash, long logIndex) {}

  static String packet(String name) {
    return HandoffVectors.singleCase(name).path("packet_json").stringValue();
  }

  static String agentOf(HandshakeServer s) {
    return s.auditRecorder().orElseThrow().chain().agentId();
  }

  /** Posts {@code packet} to the node's /delegation/verify and returns the audit receipt. */
  static Receipt verify(HandshakeServer node, String packet, String expected) throws Exception {
    HttpResponse<String> r =
        TwoNodeServerTest.post(
            node.baseUri().resolve("/delegation/verify?receiver=" + HandoffVectors.agentId("B")),
            packet);
    assertThat(TwoNodeServerTest.decision(r)).isEqualTo(expected);
    String hash = r.headers().firstValue("X-Handshake-Audit-Event").orElseThrow(
        () -> new AssertionError("no audit receipt header: " + r.headers().map()));
    long index = Long.parseLong(r.headers().firstValue("X-Handshake-Audit-Index").orElseThrow());
    return new Receipt(hash, index);
  }

  static byte[] entry(HandshakeServer node, long index) throws Exception {
    HttpResponse<String> r = get(node, "/v1/audit/entries/" + index);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = Json.mapper().readTree(r.body());
    return Base64Text.decodeStrict(body.path("entry_base64").stringValue()).orElseThrow();
  }

  static HttpResponse<String> get(HandshakeServer node, String path) throws Exception {
    try (HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      return c.send(
          HttpRequest.newBuilder(URI.create(node.baseUri() + path))
              .timeout(Duration.ofSeconds(15))
              .GET()
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  /** Leaves per log name, read from PostgreSQL itself. */
  static Map<String, Long> leavesPerLog() {
    return PG.db()
        .withConnection(
            "test",
            c -> {
              Map<String, Long> out = new LinkedHashMap<>();
              try (Statement s = c.createStatement();
                  ResultSet rs =
                      s.executeQuery("SELECT log_name, count(*) FROM tlog_leaf GROUP BY log_name")) {
                while (rs.next()) {
                  out.put(rs.getString(1), rs.getLong(2));
                }
              }
              return out;
            });
  }
}
