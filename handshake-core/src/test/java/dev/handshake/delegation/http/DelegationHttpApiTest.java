package dev.handshake.delegation.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.audit.AgentChain;
import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.AuditLedger;
import dev.handshake.audit.AuditRecorder;
import dev.handshake.audit.InMemoryAuditStore;
import dev.handshake.audit.log.CheckpointSigner;
import dev.handshake.audit.log.InMemoryLogStore;
import dev.handshake.audit.log.TransparencyLog;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Sha256;
import dev.handshake.delegation.CapabilityDerivation;
import dev.handshake.delegation.CapabilityGrant;
import dev.handshake.delegation.CapabilityTokens;
import dev.handshake.delegation.DelegationCapability;
import dev.handshake.delegation.DelegationTrust;
import dev.handshake.delegation.HandoffConfig;
import dev.handshake.delegation.HandoffTime;
import dev.handshake.delegation.HandoffVectors;
import dev.handshake.delegation.InMemoryReplayStore;
import dev.handshake.delegation.Permissions;
import dev.handshake.delegation.Reasons;
import dev.handshake.delegation.SignedTaskPacket;
import dev.handshake.delegation.TaskPacketBuilder;
import dev.handshake.json.CanonicalJson;
import dev.handshake.json.Json;
import dev.handshake.session.HppResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The delegation endpoints without a transport (trusthandoff.md §4 items 19, 21, 23, 25, 30, 31):
 * vectors give the receiver's decisions, one replay store holds across calls, receipts name the
 * packet but never its task text.
 */
class DelegationHttpApiTest {
  private static final Instant NOW = Instant.parse("2026-11-21T03:22:36Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  /** The vector profile of §4: ours without the lifetime cap (the vectors are valid to 2099). */
  private static final HandoffConfig VECTOR_PROFILE =
      HandoffConfig.defaults().withMaxPacketLifetime(Optional.empty());

  private static final String B = HandoffVectors.agentId("B");

  private final AuditLedger ledger = ledger();
  private final AgentChain serverChain = AgentChain.open(serverKey(), ledger.store(), CLOCK);
  private final AuditRecorder recorder =
      new AuditRecorder(ledger, serverChain, EnumSet.allOf(AuditRecorder.Kind.class));

  private static Ed25519PrivateKey serverKey() {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) 7);
    return Ed25519PrivateKey.fromSeed(seed);
  }

  private static AuditLedger ledger() {
    return AuditLedger.open(
        new InMemoryAuditStore(),
        TransparencyLog.open(new InMemoryLogStore()),
        CheckpointSigner.create("delegation.test/audit", serverKey()));
  }

  @AfterEach
  void close() {
    ledger.close();
  }

  private DelegationHttpApi api(Optional<AuditRecorder> receipts) {
    return DelegationHttpApi.create(
        VECTOR_PROFILE,
        new DelegationTrust(HandoffVectors.registryAbc(), Set.of()),
        new InMemoryReplayStore(),
        receipts,
        CLOCK);
  }

  private static HppResponse post(
      DelegationHttpApi api, String path, @Nullable String query, String body) {
    return api.handle("POST", path, query, body.getBytes(StandardCharsets.UTF_8));
  }

  private static String decision(HppResponse r) {
    assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
    JsonNode n = Json.tryParse(r.body()).orElseThrow();
    assertThat(n.propertyNames())
        .as("exactly the reference's decision members")
        .containsExactly("packet_id", "decision", "reason");
    return n.path("decision").stringValue() + " " + n.path("reason").stringValue();
  }

  private static String packet(String vector) {
    return vector.startsWith("S")
        ? HandoffVectors.singleCase(vector + "_minimal").path("packet_json").stringValue()
        : HandoffVectors.negativeCase(vector).path("packet_json").stringValue();
  }

  private static String error(HppResponse r, int status) {
    assertThat(r.status()).as(r.bodyText()).isEqualTo(status);
    assertThat(r.contentType()).isEqualTo(HppResponse.JSON);
    return Json.tryParse(r.body()).orElseThrow().path("error").stringValue();
  }

  @Test
  void item19_s1IsAcceptedOnceThenReplayDetectedOnTheNextCall() {
    DelegationHttpApi api = api(Optional.empty());
    assertThat(decision(post(api, DelegationHttpApi.VERIFY, "receiver=" + B, packet("S1"))))
        .isEqualTo("ACCEPT " + Reasons.ACCEPTED);
    String sortedWire =
        HandoffVectors.singleCase("S1_minimal")
            .path("envelope_wire_json_envelope_to_json")
            .stringValue();
    assertThat(decision(post(api, DelegationHttpApi.VERIFY, "receiver=" + B, sortedWire)))
        .as("the same packet in the other wire form, on another call")
        .isEqualTo("REJECT " + Reasons.REPLAY);
  }

  @Test
  void item21_n01IsInvalidSignatureAndItsNonceStaysUnburned() {
    DelegationHttpApi api = api(Optional.empty());
    assertThat(decision(post(api, DelegationHttpApi.VERIFY, "receiver=" + B, packet("N01"))))
        .isEqualTo("REJECT " + Reasons.INVALID_SIGNATURE);
    assertThat(decision(post(api, DelegationHttpApi.VERIFY, "receiver=" + B, packet("S1"))))
        .as("item 30: the genuine packet with the forged packet's nonce")
        .isEqualTo("ACCEPT " + Reasons.ACCEPTED);
  }

  @Test
  void item25_n07IsAcceptedByTheReferenceProfileAndInvalidSignatureByDefault() {
    DelegationHttpApi api = api(Optional.empty());
    assertThat(decision(post(api, DelegationHttpApi.VERIFY, "profile=reference", packet("N07"))))
        .isEqualTo("ACCEPT " + Reasons.ACCEPTED);
    assertThat(
            decision(
                post(
                    api,
                    DelegationHttpApi.VERIFY,
                    "receiver=" + B + "&profile=default",
                    packet("N07"))))
        .isEqualTo("REJECT " + Reasons.INVALID_SIGNATURE);
  }

  @Test
  void item23_reasonStyleSelectsTheTimeWindowWording() {
    DelegationHttpApi api = api(Optional.empty());
    assertThat(decision(post(api, DelegationHttpApi.VERIFY, "receiver=" + B, packet("N04"))))
        .isEqualTo("REJECT " + Reasons.EXPIRED);
    assertThat(
            decision(
                post(
                    api,
                    DelegationHttpApi.VERIFY,
                    "receiver=" + B + "&reason_style=0.2.3",
                    packet("N04"))))
        .isEqualTo("REJECT " + Reasons.VALIDATION_FAILED);
  }

  @Test
  void item31_theAudienceCheckNeedsAReceiverAndRefusesAnotherOne() {
    DelegationHttpApi api = api(Optional.empty());
    assertThat(error(post(api, DelegationHttpApi.VERIFY, null, packet("S1")), 400))
        .contains("receiver");
    assertThat(
            decision(
                post(
                    api,
                    DelegationHttpApi.VERIFY,
                    "receiver=" + HandoffVectors.agentId("C"),
                    packet("S1"))))
        .isEqualTo("REJECT " + Reasons.AUDIENCE_MISMATCH);
  }

  @Test
  void receiverIdsKeepTheirPlusSignRawOrPercentEncoded() {
    DelegationHttpApi api = api(Optional.empty());
    String c = HandoffVectors.agentId("C");
    assertThat(c).contains("+").contains("/");
    for (String query :
        List.of(
            "receiver=" + c,
            "receiver=" + c.replace("+", "%2B").replace("/", "%2F").replace(":", "%3A"))) {
      SignedTaskPacket p =
          TaskPacketBuilder.from(HandoffVectors.key("A")).to(c).intent("summarise").sign(CLOCK);
      assertThat(decision(post(api, DelegationHttpApi.VERIFY, query, p.toWire())))
          .as(query)
          .isEqualTo("ACCEPT " + Reasons.ACCEPTED);
    }
  }

  @Test
  void badQueriesAreJson400s() {
    DelegationHttpApi api = api(Optional.empty());
    for (String query :
        List.of(
            "reciever=" + B,
            "receiver=" + B + "&profile=strict",
            "receiver=" + B + "&profile=reference&profile=default",
            "receiver=" + B + "&reason_style=0.4",
            "receiver=%ZZ",
            "receiver=%C3%28",
            "receiver=")) {
      assertThat(error(post(api, DelegationHttpApi.VERIFY, query, packet("S1")), 400))
          .as(query)
          .isNotBlank();
    }
  }

  @Test
  void inputThatIsNotAPacketIsARejectNotAnHttpError() {
    DelegationHttpApi api = api(Optional.empty());
    assertThat(
            decision(post(api, DelegationHttpApi.VERIFY, "receiver=" + B, "{\"packet_id\":\"x\"}")))
        .isEqualTo("REJECT " + Reasons.MALFORMED_PACKET);
    assertThat(decision(post(api, DelegationHttpApi.VERIFY, "receiver=" + B, "not json")))
        .isEqualTo("REJECT " + Reasons.MALFORMED_PACKET);
    assertThat(
            error(
                api.handle(
                    "POST", DelegationHttpApi.VERIFY, "receiver=" + B, new byte[] {(byte) 0xff}),
                400))
        .contains("UTF-8");
  }

  @Test
  void methodsPathsAndSizesAreChecked() {
    DelegationHttpApi api = api(Optional.empty());
    HppResponse get = api.handle("GET", DelegationHttpApi.VERIFY, "receiver=" + B, new byte[0]);
    assertThat(error(get, 405)).isNotBlank();
    assertThat(get.headers()).containsEntry("Allow", "POST");
    assertThat(error(api.handle("POST", "/delegation/other", null, new byte[0]), 404)).isNotBlank();
    byte[] big = new byte[DelegationHttpApi.MAX_BODY_BYTES + 1];
    Arrays.fill(big, (byte) ' ');
    assertThat(error(api.handle("POST", DelegationHttpApi.VERIFY, "receiver=" + B, big), 413))
        .isNotBlank();
    assertThat(api.handles("/delegation/verify")).isTrue();
    assertThat(api.handles("/delegationx")).isFalse();
  }

  @Test
  void capabilitiesVerifyOnlyUnderAConfiguredTrustAnchor() {
    Ed25519PrivateKey a = HandoffVectors.key("A");
    DelegationCapability root =
        CapabilityDerivation.root(
            HandoffVectors.agentId("A"),
            CapabilityGrant.of(
                "cap-http",
                B,
                Permissions.of(List.of("read", "search"), 5),
                HandoffTime.utc(NOW.minusSeconds(60)),
                HandoffTime.utc(NOW.plus(Duration.ofHours(1)))),
            a);
    for (boolean anchored : new boolean[] {true, false}) {
      DelegationHttpApi api =
          DelegationHttpApi.create(
              VECTOR_PROFILE,
              new DelegationTrust(
                  HandoffVectors.registryAbc(),
                  anchored ? Set.of(HandoffVectors.agentId("A")) : Set.of()),
              new InMemoryReplayStore(),
              Optional.empty(),
              CLOCK);
      SignedTaskPacket p =
          TaskPacketBuilder.from(a)
              .to(B)
              .intent("look it up")
              .actions(List.of("read"))
              .maxToolCalls(2)
              .capabilityToken(CapabilityTokens.encode(root))
              .sign(CLOCK);
      assertThat(decision(post(api, DelegationHttpApi.VERIFY, "receiver=" + B, p.toWire())))
          .as(anchored ? "anchor A" : "no anchors")
          .isEqualTo(anchored ? "ACCEPT " + Reasons.ACCEPTED : "REJECT " + Reasons.INVALID_CHAIN);
    }
  }

  private AuditEvent event(String hash) {
    return ledger.store().events(serverChain.agentId()).stream()
        .filter(e -> e.hash().equals(hash))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void everyVerifyDecisionLeavesAReceiptWithoutTheTaskText() {
    DelegationHttpApi api = api(Optional.of(recorder));
    String s1 = packet("S1");
    HppResponse accepted = post(api, DelegationHttpApi.VERIFY, "receiver=" + B, s1);
    HppResponse replayed = post(api, DelegationHttpApi.VERIFY, "receiver=" + B, s1);
    decision(accepted);
    decision(replayed);

    String hash = accepted.headers().get("X-Handshake-Audit-Event");
    assertThat(hash).matches("[0-9a-f]{64}");
    assertThat(accepted.headers().get("X-Handshake-Audit-Index"))
        .isEqualTo(Long.toString(ledger.indexOf(hash).orElseThrow()));
    ObjectNode payload = event(hash).payload();
    JsonNode vector = HandoffVectors.singleCase("S1_minimal");
    assertThat(payload.path("kind").stringValue()).isEqualTo("delegation");
    assertThat(payload.path("event_type").stringValue()).isEqualTo(DelegationReceipts.ACCEPTED);
    assertThat(payload.path("packet_id").stringValue())
        .isEqualTo(HandoffVectors.wire(s1).path("packet_id").stringValue());
    assertThat(payload.path("to_agent").stringValue()).isEqualTo(B);
    assertThat(payload.path("decision").stringValue()).isEqualTo("ACCEPT");
    assertThat(payload.path("signing_payload_sha256").stringValue())
        .isEqualTo(vector.path("signing_payload_sha256").stringValue());
    assertThat(payload.path("input_sha256").stringValue())
        .isEqualTo(Sha256.hex(s1.getBytes(StandardCharsets.UTF_8)));
    assertThat(payload.has("intent")).isFalse();
    assertThat(payload.has("context")).isFalse();
    String intent = HandoffVectors.wire(s1).path("intent").stringValue();
    assertThat(Json.text(payload)).doesNotContain(intent);

    ObjectNode second = event(replayed.headers().get("X-Handshake-Audit-Event")).payload();
    assertThat(second.path("event_type").stringValue())
        .isEqualTo(DelegationReceipts.REJECTED_PACKET);
    assertThat(second.path("reason").stringValue()).isEqualTo(Reasons.REPLAY);
  }

  private static String report(String packetJson, String verdict, @Nullable String reason) {
    return report(
        packetJson,
        HandoffVectors.wire(packetJson).path("packet_id").stringValue(),
        verdict,
        reason);
  }

  private static String report(
      String packetJson, String packetId, String verdict, @Nullable String reason) {
    ObjectNode body = Json.object();
    body.set("packet", HandoffVectors.wire(packetJson));
    ObjectNode d = body.putObject("decision");
    d.put("packet_id", packetId);
    d.put("decision", verdict);
    if (reason != null) {
      d.put("reason", reason);
    } else {
      d.putNull("reason");
    }
    return Json.text(body);
  }

  @Test
  void aReportedDecisionOnAGenuinePacketGetsAReceiptWithItsProof() {
    DelegationHttpApi api = api(Optional.of(recorder));
    HppResponse r =
        post(
            api,
            DelegationHttpApi.DECISIONS,
            null,
            report(packet("S1"), "ACCEPT", Reasons.ACCEPTED));
    assertThat(r.status()).as(r.bodyText()).isEqualTo(201);
    JsonNode body = Json.tryParse(r.body()).orElseThrow();
    String hash = body.path("event_hash").stringValue();
    assertThat(body.path("log_index").longValue()).isEqualTo(ledger.indexOf(hash).orElseThrow());
    assertThat(body.path("proof_url").stringValue()).isEqualTo("/v1/audit/proof/event/" + hash);
    assertThat(r.headers()).containsEntry("Location", "/v1/audit/proof/event/" + hash);
    ObjectNode payload = event(hash).payload();
    assertThat(payload.path("event_type").stringValue()).isEqualTo(DelegationReceipts.REPORTED);
    assertThat(payload.path("decided_by").stringValue()).isEqualTo("agent");
    assertThat(payload.path("reason").stringValue()).isEqualTo(Reasons.ACCEPTED);
    assertThat(payload.has("intent")).isFalse();

    String envelope =
        HandoffVectors.singleCase("S1_minimal")
            .path("envelope_wire_json_envelope_to_json")
            .stringValue();
    ObjectNode asText = Json.object();
    asText.put("envelope", envelope);
    asText.set("decision", CanonicalJson.parse("{\"decision\":\"REJECT\",\"reason\":null}"));
    assertThat(post(api, DelegationHttpApi.DECISIONS, null, Json.text(asText)).status())
        .as("an envelope as wire text, a decision without packet_id")
        .isEqualTo(201);
  }

  @Test
  void reportsOfForgedOrMalformedPacketsAreRefused() {
    DelegationHttpApi api = api(Optional.of(recorder));
    assertThat(
            error(
                post(api, DelegationHttpApi.DECISIONS, null, report(packet("N01"), "ACCEPT", null)),
                422))
        .contains("signature");
    assertThat(
            error(
                post(api, DelegationHttpApi.DECISIONS, null, report(packet("N07"), "ACCEPT", null)),
                422))
        .as("junk in the Base64 is not a signature we record")
        .contains("signature");
    String wrongId = report(packet("S1"), "another-packet", "ACCEPT", null);
    for (String bad :
        List.of(
            "[]",
            "{\"decision\":{\"decision\":\"ACCEPT\"}}",
            report(packet("S1"), "MAYBE", null),
            wrongId,
            "{\"packet\":{\"packet_id\":\"x\"},\"decision\":{\"decision\":\"ACCEPT\"}}",
            "{\"packet\":1,\"decision\":{\"decision\":\"ACCEPT\"}}",
            report(packet("S1"), "ACCEPT", "x".repeat(257)),
            report(packet("S1"), "ACCEPT", null)
                .replace("{\"packet\"", "{\"extra\":1,\"packet\""))) {
      assertThat(error(post(api, DelegationHttpApi.DECISIONS, null, bad), 400))
          .as(bad)
          .isNotBlank();
    }
    assertThat(ledger.store().events(serverChain.agentId())).as("nothing recorded").isEmpty();
  }

  @Test
  void withoutAnAuditLogDecisionsAre503ButVerifyStillDecides() {
    DelegationHttpApi api = api(Optional.empty());
    assertThat(
            error(
                post(api, DelegationHttpApi.DECISIONS, null, report(packet("S1"), "ACCEPT", null)),
                503))
        .contains("audit");
    HppResponse verify = post(api, DelegationHttpApi.VERIFY, "receiver=" + B, packet("S1"));
    assertThat(decision(verify)).isEqualTo("ACCEPT " + Reasons.ACCEPTED);
    assertThat(verify.headers()).doesNotContainKey("X-Handshake-Audit-Event");
  }
}
