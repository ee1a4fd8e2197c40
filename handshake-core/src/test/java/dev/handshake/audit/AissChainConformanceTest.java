package dev.handshake.audit;

import static dev.handshake.audit.AissVectors.CHAIN;
import static dev.handshake.audit.AissVectors.VECTORS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.crypto.Base64Text;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Sha256;
import dev.handshake.identity.IdentityDocument;
import dev.handshake.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** aiss.md §4: chain items 3–7 and vector items 12–15, 20–23, each as a named test. */
class AissChainConformanceTest {
  private static final ChainVerifier OURS = new ChainVerifier(VerifyOptions.ours());
  private static final ChainVerifier REFERENCE = new ChainVerifier(VerifyOptions.reference());
  private static final Clock FIXED = Clock.fixed(Instant.ofEpochSecond(1767225600), ZoneOffset.UTC);

  private static ObjectNode payload(String type) {
    ObjectNode p = Json.object();
    p.put("event_type", type);
    return p;
  }

  private static AgentChain freshChain(Ed25519PrivateKey key) {
    return AgentChain.open(key, new InMemoryAuditStore(), FIXED);
  }

  // Item 3
  @Test
  void item03_stampedEventsHaveTheRequiredFieldsGenesisHashAndHonourSuppliedNonceAndTimestamp() {
    Ed25519PrivateKey a = AissVectors.key("A");
    AgentChain chain = freshChain(a);
    AuditEvent genesis = chain.append(payload("genesis"), 1767225605, "my-nonce");
    assertThat(genesis.json().propertyNames())
        .containsExactly(
            "version", "agent_id", "timestamp", "nonce", "payload", "previous_hash", "signature");
    assertThat(genesis.previousHash()).contains(Sha256.hex(a.publicKey().raw()));
    assertThat(genesis.nonce()).isEqualTo("my-nonce");
    assertThat(genesis.timestamp()).hasValue(1767225605);
    AuditEvent next = chain.append(payload("next"));
    assertThat(next.previousHash()).contains(genesis.hash());
    assertThat(next.nonce()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(next.timestamp()).hasValue(1767225605);
  }

  @Test
  void item03_ourStamperRefusesFloatsAndUnsafeIntegersBeforeSigning() {
    AgentChain chain = freshChain(AissVectors.key("A"));
    ObjectNode withFloat = payload("trade");
    withFloat.put("price", 150.25);
    assertThatThrownBy(() -> chain.append(withFloat)).isInstanceOf(IllegalArgumentException.class);
    ObjectNode big = payload("big");
    big.put("n", 1L << 60);
    assertThatThrownBy(() -> chain.append(big)).isInstanceOf(IllegalArgumentException.class);
    assertThat(chain.events()).isEmpty();
  }

  // Item 4
  @Test
  void item04_signatureTamperingIsRejected() {
    IdentityDocument idA = AissVectors.identityA();
    List<AuditEvent> events = AissVectors.chainEvents();
    assertThat(OURS.verify(events.subList(0, 1), idA, Optional.empty()).signaturesValid()).isTrue();

    ObjectNode flipped = AissVectors.chainEvent(0);
    byte[] sig = Base64Text.decodeStrict(flipped.path("signature").stringValue()).orElseThrow();
    sig[10] ^= 1;
    flipped.put("signature", Base64Text.encode(sig));
    ObjectNode zeros = AissVectors.chainEvent(0);
    zeros.put("signature", Base64Text.encode(new byte[64]));
    ObjectNode edited = AissVectors.chainEvent(0);
    ((ObjectNode) edited.path("payload")).put("agent_name", "someone-else");
    ObjectNode added = AissVectors.chainEvent(0);
    ((ObjectNode) added.path("payload")).put("extra", 1);
    for (ObjectNode bad : List.of(flipped, zeros, edited, added)) {
      ChainReport report = OURS.verify(List.of(AuditEvent.of(bad)), idA, Optional.empty());
      assertThat(report.signaturesValid()).isFalse();
      assertThat(report.events().getFirst().signature()).isIn("invalid", "undecodable");
    }
    ChainReport wrongKey =
        OURS.verify(events.subList(0, 1), AissVectors.identityB(), Optional.empty());
    assertThat(wrongKey.signaturesValid()).isFalse();
  }

  @Test
  void item04_signingWithKeyAWhileDeclaringBsAgentIdFailsAgainstBsKey() {
    AuditEvent forged =
        EventStamper.stamp(
            AissVectors.key("A"), AissVectors.agentId("B"), payload("forged"),
            AissVectors.VECTORS.path("agents").path("B").path("sha256_pub_hex").stringValue(),
            1767225600, "n-1", SignatureEncoding.BASE64);
    ChainReport report = OURS.verify(List.of(forged), AissVectors.identityB(), Optional.empty());
    assertThat(report.signaturesValid()).isFalse();
    assertThat(report.valid()).isFalse();
  }

  // Items 5, 12, 13
  @Test
  void item05_item12_canonicalInputsHashesAndSignaturesReproduceByteForByte() {
    Ed25519PrivateKey a = AissVectors.key("A");
    List<AuditEvent> events = AissVectors.chainEvents();
    JsonNode details = VECTORS.path("chain_events_detail");
    for (int i = 0; i < events.size(); i++) {
      AuditEvent e = events.get(i);
      JsonNode expected = details.get(i);
      assertThat(new String(e.signingInput(), StandardCharsets.UTF_8))
          .isEqualTo(expected.path("signing_input_canonical_utf8").stringValue());
      assertThat(e.hash()).isEqualTo(expected.path("event_hash").stringValue());
      AuditEvent resigned = EventStamper.sign(a, e.json(), SignatureEncoding.BASE64);
      assertThat(resigned.signature()).isEqualTo(expected.path("signature_b64").stringValue());
      assertThat(e.signature()).isEqualTo(expected.path("signature_b64").stringValue());
      if (i > 0) {
        assertThat(e.previousHash()).contains(events.get(i - 1).hash());
      }
    }
  }

  @Test
  void item05_modifyingEvent1BreaksTheLinkToEvent2() {
    List<AuditEvent> events = new ArrayList<>(AissVectors.chainEvents());
    ObjectNode e1 = AissVectors.chainEvent(1);
    ((ObjectNode) e1.path("payload")).put("quantity", 101);
    events.set(1, AuditEvent.of(e1));
    ChainReport report = OURS.verify(events, AissVectors.identityA(), Optional.empty());
    assertThat(report.chainValid()).isFalse();
    assertThat(report.events().get(2).problems()).anyMatch(p -> p.contains("previous_hash mismatch"));
  }

  @Test
  void item13_chainIntegrityHashRecomputesAndTheChainVerifies() {
    List<AuditEvent> events = AissVectors.chainEvents();
    assertThat(AuditExport.chainIntegrityHash(events))
        .isEqualTo("5a931660ad0de017dc3161d52d324c1b25cc1e3cb6d8af3d7092a97988d3ecc1")
        .isEqualTo(CHAIN.path("chain_integrity_hash").stringValue());
    ChainReport ours = OURS.verify(events, AissVectors.identityA(), Optional.empty());
    assertThat(ours.valid()).isTrue();
    assertThat(ours.errors()).isEmpty();
    assertThat(ours.genesisForms()).containsEntry(AissVectors.agentId("A"), GenesisForm.PUBLIC_KEY_HASH);
    assertThat(REFERENCE.verify(events, AissVectors.identityA(), Optional.empty()).toReferenceJson())
        .isEqualTo(VECTORS.path("verification_report_valid_chain"));
  }

  @Test
  void emptyChainHasTheHashOfTheEmptyString() {
    assertThat(AuditExport.chainIntegrityHash(List.of())).isEqualTo(Sha256.hex(new byte[0]));
  }

  // Item 14
  static Map<String, List<AuditEvent>> tamperCases() {
    Ed25519PrivateKey a = AissVectors.key("A");
    List<AuditEvent> base = AissVectors.chainEvents();
    ObjectNode e1 = AissVectors.chainEvent(1);
    ((ObjectNode) e1.path("payload")).put("price", 999);
    List<AuditEvent> payloadModified = new ArrayList<>(base);
    payloadModified.set(1, AuditEvent.of(e1));

    List<AuditEvent> deleted = new ArrayList<>(base);
    deleted.remove(2);

    List<AuditEvent> swapped = new ArrayList<>(base);
    swapped.set(1, base.get(2));
    swapped.set(2, base.get(1));

    List<AuditEvent> duplicateNonce = new ArrayList<>(base);
    duplicateNonce.add(
        EventStamper.stamp(a, AissVectors.agentId("A"), payload("again"), base.get(3).hash(),
            1767225640, base.get(1).nonce(), SignatureEncoding.BASE64));

    List<AuditEvent> fork = new ArrayList<>(base);
    fork.add(
        EventStamper.stamp(a, AissVectors.agentId("A"), payload("branch"), base.get(2).hash(),
            1767225640, "00000000-0000-4000-8000-000000000099", SignatureEncoding.BASE64));

    ObjectNode renamed = AissVectors.chainEvent(1);
    renamed.put("agent_id", AissVectors.agentId("B"));
    List<AuditEvent> agentChanged = new ArrayList<>(base);
    agentChanged.set(1, AuditEvent.of(renamed));

    return Map.of(
        "payload_modified_event1", payloadModified,
        "event2_deleted", deleted,
        "events1_2_swapped", swapped,
        "duplicate_nonce_appended", duplicateNonce,
        "fork_two_children_of_event2", fork,
        "agent_id_field_changed_event1", agentChanged);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "payload_modified_event1",
        "event2_deleted",
        "events1_2_swapped",
        "duplicate_nonce_appended",
        "fork_two_children_of_event2",
        "agent_id_field_changed_event1"
      })
  void item14_tamperReportsReproduceTheReference(String name) {
    List<AuditEvent> events = tamperCases().get(name);
    JsonNode expected = VECTORS.path("tamper_reports").path(name);
    ObjectNode reference =
        REFERENCE.verify(events, AissVectors.identityA(), Optional.empty()).toReferenceJson();
    assertThat(reference).isEqualTo(expected);

    ObjectNode ours = OURS.verify(events, AissVectors.identityA(), Optional.empty()).toReferenceJson();
    for (String key :
        List.of("valid", "signatures_valid", "chain_valid", "timestamps_valid", "forks_detected",
            "replay_attacks")) {
      assertThat(ours.path(key)).as(key).isEqualTo(expected.path(key));
    }
  }

  // Item 15
  @Test
  void item15_foreignAgentIdSignedByAIsValidForTheReferenceButUnboundForUs() {
    Ed25519PrivateKey a = AissVectors.key("A");
    AuditEvent foreign =
        EventStamper.stamp(a, AissVectors.agentId("B"), payload("claim"),
            Sha256.hex(a.publicKey().raw()), 1767225600, "n-0", SignatureEncoding.BASE64);
    List<AuditEvent> events = List.of(foreign);
    assertThat(REFERENCE.verify(events, AissVectors.identityA(), Optional.empty()).toReferenceJson())
        .isEqualTo(VECTORS.path("foreign_agent_id_signed_by_A_report"));
    ChainReport ours = OURS.verify(events, AissVectors.identityA(), Optional.empty());
    assertThat(ours.agentBindingValid()).isFalse();
    assertThat(ours.valid()).isFalse();
    assertThat(ours.toJson().path("agent_binding_valid").booleanValue()).isFalse();
  }

  // Item 20
  @Test
  void item20_anIdentityWhoseAgentIdIsNotDerivedFromItsKeyIsRejected() {
    ObjectNode identity = (ObjectNode) CHAIN.path("agent_identity").deepCopy();
    identity.put("agent_id", AissVectors.agentId("B"));
    assertThatThrownBy(() -> IdentityDocument.parse(identity, true, false))
        .isInstanceOf(IdentityDocument.InvalidIdentityException.class)
        .hasMessageContaining("not derived");
    identity.put("agent_id", "3HhGPB6ht33n51YFaocqBtGe");
    assertThatThrownBy(() -> IdentityDocument.parse(identity, true, false))
        .isInstanceOf(IdentityDocument.InvalidIdentityException.class);
  }

  @Test
  void item20_verifyingAgainstAnUnboundIdentityFailsAgentBinding() throws Exception {
    ObjectNode identity = (ObjectNode) CHAIN.path("agent_identity").deepCopy();
    identity.put("agent_id", AissVectors.agentId("B"));
    IdentityDocument unbound = IdentityDocument.parse(identity, false, false);
    ChainReport report = OURS.verify(AissVectors.chainEvents(), unbound, Optional.empty());
    assertThat(report.agentBindingValid()).isFalse();
    assertThat(report.valid()).isFalse();
  }

  // Item 21
  @Test
  void item21_aSignatureWithInsertedJunkIsRejectedButTheReferenceAcceptsIt() {
    ObjectNode junk = AissVectors.chainEvent(0);
    String sig = junk.path("signature").stringValue();
    junk.put("signature", sig.substring(0, 10) + "!!**" + sig.substring(10));
    List<AuditEvent> events = List.of(AuditEvent.of(junk));
    assertThat(OURS.verify(events, AissVectors.identityA(), Optional.empty()).signaturesValid())
        .isFalse();
    assertThat(REFERENCE.verify(events, AissVectors.identityA(), Optional.empty()).signaturesValid())
        .isTrue();
  }

  // Item 22
  @Test
  void item22_droppingTheLastEventBehindASignedHeadIsReported() {
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(new SecureRandom());
    AgentChain chain = freshChain(key);
    for (int i = 0; i < 5; i++) {
      chain.append(payload("step-" + i));
    }
    ChainHead head = chain.signHead();
    IdentityDocument identity = chain.identity(1767225600, Optional.empty());
    List<AuditEvent> all = chain.events();
    ChainReport whole = OURS.verify(all, identity, Optional.of(head));
    assertThat(whole.headValid()).contains(true);
    assertThat(whole.valid()).isTrue();

    ChainReport truncated = OURS.verify(all.subList(0, 4), identity, Optional.of(head));
    assertThat(truncated.chainValid()).isTrue();
    assertThat(truncated.headValid()).contains(false);
    assertThat(truncated.valid()).isFalse();
    assertThat(truncated.errors()).anyMatch(e -> e.contains("truncated"));
    assertThat(REFERENCE.verify(all.subList(0, 4), identity, Optional.empty()).valid()).isTrue();

    ChainHead forged =
        new ChainHead(head.agentId(), 4, all.get(3).hash(), head.timestamp(), head.signature());
    assertThat(OURS.verify(all.subList(0, 4), identity, Optional.of(forged)).headValid())
        .contains(false);
  }

  // Item 23
  @Test
  void item23_twoAgentsGenesisEventsWithLiteralGenesisAreNotAFork() {
    AuditEvent a =
        EventStamper.stamp(AissVectors.key("A"), AissVectors.agentId("A"), payload("start"),
            "genesis", 1767225600, "n-a", SignatureEncoding.BASE64);
    AuditEvent b =
        EventStamper.stamp(AissVectors.key("B"), AissVectors.agentId("B"), payload("start"),
            "genesis", 1767225600, "n-b", SignatureEncoding.BASE64);
    List<IdentityDocument> ids = List.of(AissVectors.identityA(), AissVectors.identityB());
    ChainReport ours =
        new ChainVerifier(VerifyOptions.foreign()).verifyAgents(List.of(a, b), ids, List.of());
    assertThat(ours.forksDetected()).isEmpty();
    assertThat(ours.valid()).isTrue();
    assertThat(ours.genesisForms()).containsValues(GenesisForm.LITERAL_GENESIS);
    ChainReport unscoped =
        new ChainVerifier(VerifyOptions.reference()).verifyAgents(List.of(a, b), ids, List.of());
    assertThat(unscoped.forksDetected()).containsExactly("genesis");
  }

  @Test
  void strictGenesisRejectsForeignFormsWhichForeignModeReports() {
    AuditEvent zeros =
        EventStamper.stamp(AissVectors.key("A"), AissVectors.agentId("A"), payload("start"),
            GenesisForm.ZERO_HASH, 1767225600, "n-z", SignatureEncoding.BASE64);
    ChainReport strict = OURS.verify(List.of(zeros), AissVectors.identityA(), Optional.empty());
    assertThat(strict.genesisValid()).isFalse();
    assertThat(strict.valid()).isFalse();
    ChainReport foreign =
        new ChainVerifier(VerifyOptions.foreign())
            .verify(List.of(zeros), AissVectors.identityA(), Optional.empty());
    assertThat(foreign.valid()).isTrue();
    assertThat(foreign.genesisForms()).containsEntry(AissVectors.agentId("A"), GenesisForm.ZEROS);
  }

  // Items 6, 7
  @Test
  void item06_aLinearChainHasNoForkAndASecondChildIsOne() {
    assertThat(OURS.verify(AissVectors.chainEvents(), AissVectors.identityA(), Optional.empty())
            .forksDetected())
        .isEmpty();
    ChainReport fork =
        OURS.verify(tamperCases().get("fork_two_children_of_event2"), AissVectors.identityA(),
            Optional.empty());
    assertThat(fork.forksDetected()).containsExactly(AissVectors.chainEvents().get(2).hash());
    assertThat(fork.events().get(3).problems()).anyMatch(p -> p.startsWith("Fork error"));
    assertThat(fork.events().get(4).problems()).anyMatch(p -> p.startsWith("Fork error"));
  }

  @Test
  void item07_theSameNonceTwiceIsAReplayAndAMalformedNonceDoesNotCrash() {
    ChainReport replay =
        OURS.verify(tamperCases().get("duplicate_nonce_appended"), AissVectors.identityA(),
            Optional.empty());
    assertThat(replay.replayAttacks()).containsExactly("00000000-0000-4000-8000-000000000001");
    ObjectNode odd = AissVectors.chainEvent(0);
    odd.set("nonce", Json.nodes().arrayNode().add(1));
    ChainReport malformed =
        OURS.verify(List.of(AuditEvent.of(odd)), AissVectors.identityA(), Optional.empty());
    assertThat(malformed.structureValid()).isFalse();
    assertThat(malformed.valid()).isFalse();
  }

  @Test
  void everyFailureIsReportedPerEventNotJustTheFirst() {
    List<AuditEvent> events = new ArrayList<>(AissVectors.chainEvents());
    for (int i : new int[] {1, 3}) {
      ObjectNode e = AissVectors.chainEvent(i);
      ((ObjectNode) e.path("payload")).put("edited", true);
      events.set(i, AuditEvent.of(e));
    }
    ChainReport report = OURS.verify(events, AissVectors.identityA(), Optional.empty());
    assertThat(report.events().stream().filter(c -> c.signature().equals("invalid")).map(EventCheck::index))
        .containsExactly(1, 3);
    assertThat(report.errors()).filteredOn(e -> e.startsWith("Signature error")).hasSize(2);
    assertThat(report.errors()).filteredOn(e -> e.startsWith("Chain error")).hasSize(1);
  }

  @Test
  void aTrustedTimestampAddedAfterSigningIsAnUnsignedAnnotationNotATamper() {
    List<AuditEvent> events = new ArrayList<>(AissVectors.chainEvents());
    ObjectNode annotated = AissVectors.chainEvent(1);
    annotated.putObject("trusted_timestamp").put("status", "pending");
    events.set(1, AuditEvent.of(annotated));
    ChainReport report = OURS.verify(events, AissVectors.identityA(), Optional.empty());
    assertThat(report.signaturesValid()).isTrue();
    assertThat(report.chainValid()).isTrue();
    assertThat(report.events().get(1).notes()).anyMatch(n -> n.contains("unsigned annotation"));
    assertThat(report.events().get(2).notes()).anyMatch(n -> n.contains("trusted_timestamp"));
    assertThat(REFERENCE.verify(events, AissVectors.identityA(), Optional.empty()).signaturesValid())
        .isFalse();
  }

  @Test
  void theStoreRefusesAnEventThatDoesNotExtendTheHead() {
    InMemoryAuditStore store = new InMemoryAuditStore();
    List<AuditEvent> events = AissVectors.chainEvents();
    store.append(events.get(0));
    store.append(events.get(1));
    assertThatThrownBy(() -> store.append(events.get(3)))
        .isInstanceOf(AuditStore.StaleHeadException.class);
    assertThat(store.count(AissVectors.agentId("A"))).isEqualTo(2);
  }
}
