package dev.handshake.audit;

import static dev.handshake.audit.AissVectors.SESSION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.crypto.Base58;
import dev.handshake.crypto.Base64Text;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.crypto.Sha256;
import dev.handshake.identity.IdentityDocument;
import dev.handshake.json.CanonicalJson;
import dev.handshake.json.Json;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** aiss.md §4 item 19 and §2.6: the multi-agent session bridge. */
class AissSessionConformanceTest {
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1767225600), ZoneOffset.UTC);

  private static List<AuditEvent> stored() {
    List<AuditEvent> events = new ArrayList<>();
    SESSION.path("stored_events").forEach(e -> events.add(AuditEvent.of((ObjectNode) e)));
    return events;
  }

  /** The reference's verify_signature: lenient Base64; any failure is InvalidSignatureError. */
  private static String referenceBase64(AuditEvent e, Ed25519PublicKey key) {
    return Base64Text.decodeLenient(e.signature())
            .map(sig -> sig.length == 64 && key.verify(e.signingInput(), sig))
            .orElse(false)
        ? "valid"
        : "InvalidSignatureError";
  }

  /** The reference's Base58 path: an undecodable string is a ValueError. */
  private static String referenceBase58(AuditEvent e, Ed25519PublicKey key) {
    return Base58.decode(e.signature())
        .map(sig -> sig.length == 64 && key.verify(e.signingInput(), sig) ? "valid" : "InvalidSignatureError")
        .orElse("ValueError");
  }

  @Test
  void item19_signatureOutcomesMatchTheReferencePerEncoding() {
    List<AuditEvent> events = stored();
    JsonNode checks = SESSION.path("signature_checks");
    assertThat(events).hasSize(checks.size());
    Map<String, Ed25519PublicKey> keys =
        Map.of(
            AissVectors.agentId("A"), AissVectors.key("A").publicKey(),
            AissVectors.agentId("B"), AissVectors.key("B").publicKey());
    for (int i = 0; i < events.size(); i++) {
      AuditEvent e = events.get(i);
      JsonNode expected = checks.get(i);
      assertThat(e.eventType()).isEqualTo(expected.path("event_type").stringValue());
      Ed25519PublicKey key = keys.get(e.agentId());
      assertThat(referenceBase64(e, key)).as("b64 %d", i)
          .isEqualTo(expected.path("verify_signature_b64").stringValue());
      assertThat(referenceBase58(e, key)).as("b58 %d", i)
          .isEqualTo(expected.path("verify_b58").stringValue());
    }
  }

  @Test
  void item19_ourVerifierFlagsTheEditedHandshakesAndKeepsCheckingTheRest() {
    List<IdentityDocument> ids = List.of(AissVectors.identityA(), AissVectors.identityB());
    ChainReport report =
        new ChainVerifier(VerifyOptions.foreign()).verifyAgents(stored(), ids, List.of());
    assertThat(report.chainValid()).isTrue();
    assertThat(report.timestampsValid()).isTrue();
    assertThat(report.forksDetected()).isEmpty();
    assertThat(report.signaturesValid()).isFalse();
    for (EventCheck check : report.events()) {
      if (check.eventType().equals("a2a_handshake")) {
        assertThat(check.signature()).isEqualTo("invalid");
        assertThat(check.notes()).anyMatch(n -> n.contains("edited after signing"));
      } else {
        assertThat(check.signature()).as(check.eventType()).isEqualTo("valid");
        assertThat(check.encoding()).contains(SignatureEncoding.BASE64);
      }
    }
    JsonNode chains = SESSION.path("chains");
    Map<String, Integer> counts = new LinkedHashMap<>();
    stored().forEach(e -> counts.merge(e.agentId(), 1, Integer::sum));
    chains.properties().forEach(entry -> {
      assertThat(counts.get(entry.getKey())).isEqualTo(entry.getValue().path("count").intValue());
      assertThat(report.genesisForms().get(entry.getKey())).isEqualTo(GenesisForm.LITERAL_GENESIS);
    });
  }

  @Test
  void item19_referenceAutoHashValuesReproduce() {
    ObjectNode payload = Json.object();
    payload.put("flag", true);
    payload.putObject("limits").put("max", 1.0);
    payload.putNull("nothing");
    payload.put("order_id", 42);
    payload.put("result_hash", "abc");
    ObjectNode hashed = PayloadHashing.piqryptUnsalted().apply(payload);
    JsonNode stored = SESSION.path("stored_events").get(4).path("payload");
    for (String key : List.of("flag_hash", "limits_hash", "nothing_hash", "order_id", "result_hash")) {
      assertThat(hashed.path(key)).as(key).isEqualTo(stored.path(key));
    }
    assertThat(hashed.path("flag_hash").stringValue()).isEqualTo(Sha256.hex("True"));
    assertThat(hashed.path("limits_hash").stringValue()).isEqualTo(Sha256.hex("{'max': 1.0}"));
    assertThat(hashed.path("nothing_hash").stringValue()).isEqualTo(Sha256.hex("None"));
    assertThat(hashed.path("order_id").intValue()).isEqualTo(42);
  }

  @Test
  void ourDefaultHashingIsKeyedAndMarked() {
    ObjectNode payload = Json.object();
    payload.put("flag", true);
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    ObjectNode hashed = PayloadHashing.hmac(secret).apply(payload);
    assertThat(hashed.path("hash_alg").stringValue()).isEqualTo("hmac-sha256");
    assertThat(hashed.path("flag_hash").stringValue()).isNotEqualTo(Sha256.hex("True"));
    assertThat(hashed.path("flag_hash").stringValue()).matches("[0-9a-f]{64}");
  }

  @Test
  void aSessionOfOurOwnVerifiesEndToEndWithCoSignedInteractionsOnBothSides() throws Exception {
    InMemoryAuditStore store = new InMemoryAuditStore();
    AgentSession.Member planner =
        new AgentSession.Member("planner", AissVectors.key("A"), AgentChain.open(AissVectors.key("A"), store, CLOCK));
    AgentSession.Member executor =
        new AgentSession.Member("executor", AissVectors.key("B"), AgentChain.open(AissVectors.key("B"), store, CLOCK));
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    AgentSession session =
        AgentSession.create(List.of(planner, executor), PayloadHashing.hmac(secret), CLOCK);
    session.start();
    ObjectNode task = Json.object();
    task.put("task", "book a table");
    task.put("order_id", 7);
    AuditEvent sent = session.stamp("planner", "task_delegation", task, Optional.of("executor"));
    session.stamp("executor", "task_completed", Json.object(), Optional.empty());
    ObjectNode summary = session.end();
    assertThat(summary.path("handshakes").intValue()).isEqualTo(1);

    List<AuditEvent> all = new ArrayList<>(store.events(planner.agentId()));
    all.addAll(store.events(executor.agentId()));
    List<IdentityDocument> ids = List.of(AissVectors.identityA(), AissVectors.identityB());
    ChainReport report = new ChainVerifier(VerifyOptions.ours()).verifyAgents(all, ids, List.of());
    assertThat(report.errors()).isEmpty();
    assertThat(report.valid()).isTrue();

    AuditEvent received =
        store.events(executor.agentId()).stream()
            .filter(e -> e.eventType().equals("task_delegation_received"))
            .findFirst()
            .orElseThrow();
    assertThat(AgentSession.verifyInteraction(sent, executor.key().publicKey())).isTrue();
    assertThat(AgentSession.verifyInteraction(received, planner.key().publicKey())).isTrue();
    assertThat(AgentSession.verifyInteraction(sent, planner.key().publicKey())).isFalse();
    assertThat(received.payload().path("interaction_hash"))
        .isEqualTo(sent.payload().path("interaction_hash"));
    assertThat(sent.payload().path("task_hash").stringValue()).matches("[0-9a-f]{64}");
    assertThat(sent.payload().path("order_id").intValue()).isEqualTo(7);

    List<AuditEvent> handshakes =
        all.stream().filter(e -> e.eventType().equals("a2a_handshake")).toList();
    A2aHandshake.verifyPair(handshakes.get(0), handshakes.get(1));
    assertThat(handshakes.get(0).payload().path("session_id").stringValue()).isEqualTo(session.sessionId());
    assertThat(CanonicalJson.canonicalString(handshakes.get(0).payload())).contains("peer_name");
  }
}
