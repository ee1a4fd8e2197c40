package dev.handshake.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * trusthandoff.md §4 item 20, the packet side: A → B → C with capabilities cap-vec-1 and cap-vec-2
 * through our full pipeline, root A as the only trust anchor, cap-vec-1 held by the receiver.
 */
class TwoHopDelegationTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T03:22:36Z"), ZoneOffset.UTC);

  private static AgentRegistry registry() {
    AgentRegistry r = new AgentRegistry();
    HandoffVectors.registryAbc().forEach(r::register);
    return r;
  }

  private static DelegationCapability cap(String id) throws MalformedPacketException {
    return DelegationCapability.parse(
        HandoffVectors.wire(HandoffVectors.capability(id).path("capability_json").stringValue()));
  }

  private static CapabilityAuthority authority() throws MalformedPacketException {
    return new CapabilityAuthority(
            CapabilityChainPolicy.of(
                IssuerKeys.registryOrDerived(HandoffVectors.registryAbc()),
                Set.of(HandoffVectors.agentId("A")), CLOCK))
        .hold(cap("cap-vec-1"));
  }

  private static HandoffReceiver receiver(String agent, CapabilityGate gate) {
    return new HandoffReceiver(
        HandoffConfig.defaults().withMaxPacketLifetime(Optional.empty()),
        Set.of(HandoffVectors.agentId(agent)), registry(), new InMemoryReplayStore(), gate, CLOCK, true);
  }

  private static String packet(String id) {
    return HandoffVectors.TWO_HOP.path("packets").path(id).path("packet_json").stringValue();
  }

  @Test
  void item20_bothHopsReproduceTheirSignedBytesAndAreAcceptedWithTheirCapabilityChains() throws Exception {
    for (String id : new String[] {"pk_hop_1", "pk_hop_2"}) {
      JsonNode v = HandoffVectors.TWO_HOP.path("packets").path(id);
      SignedTaskPacket p = SignedTaskPacket.parse(HandoffVectors.wire(v.path("packet_json").stringValue()));
      assertThat(new String(p.signingPayload(), StandardCharsets.UTF_8)).isEqualTo(v.path("signing_payload").stringValue());
    }
    assertThat(receiver("B", authority()).receive(packet("pk_hop_1")).reason()).contains(Reasons.ACCEPTED);
    assertThat(receiver("C", authority()).receive(packet("pk_hop_2")).reason()).contains(Reasons.ACCEPTED);
  }

  @Test
  void item20_bothEnvelopesOfHopTwoAreAcceptedInBothWireForms() {
    JsonNode hop2 = HandoffVectors.TWO_HOP.path("envelopes").path("hop2");
    for (String form : new String[] {"envelope_model_dump_json", "envelope_wire_json_envelope_to_json"}) {
      assertThat(receiver("C", authorityUnchecked()).receive(hop2.path(form).stringValue()).reason())
          .as(form).contains(Reasons.ACCEPTED);
    }
  }

  private static CapabilityAuthority authorityUnchecked() {
    try {
      return authority();
    } catch (MalformedPacketException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aTokenWhoseParentNobodyHoldsIsAnInvalidChain() {
    CapabilityAuthority empty =
        new CapabilityAuthority(
            CapabilityChainPolicy.of(
                IssuerKeys.registryOrDerived(HandoffVectors.registryAbc()),
                Set.of(HandoffVectors.agentId("A")), CLOCK));
    assertThat(receiver("C", empty).receive(packet("pk_hop_2")).reason()).contains(Reasons.INVALID_CHAIN);
  }

  @Test
  void withoutTrustAnchorsNoCapabilityIsTrusted() {
    assertThat(receiver("B", CapabilityGate.NO_TRUST_ANCHORS).receive(packet("pk_hop_1")).reason())
        .contains(Reasons.INVALID_CHAIN);
  }

  @Test
  void aRootFromAnAgentThatIsNotATrustAnchorIsAnInvalidChain() throws Exception {
    CapabilityAuthority bAnchored =
        new CapabilityAuthority(
            CapabilityChainPolicy.of(
                IssuerKeys.registryOrDerived(HandoffVectors.registryAbc()),
                Set.of(HandoffVectors.agentId("B")), CLOCK));
    assertThat(receiver("B", bAnchored).receive(packet("pk_hop_1")).reason()).contains(Reasons.INVALID_CHAIN);
  }

  @Test
  void aPacketAskingForMoreThanItsLeafCapabilityGrantsIsAPolicyViolation() throws Exception {
    // B re-signs hop 2 asking for "read" too, which cap-vec-2 (search only) does not grant.
    SignedTaskPacket original = SignedTaskPacket.parse(HandoffVectors.wire(packet("pk_hop_2")));
    SignedTaskPacket wider =
        new SignedTaskPacket(
            "pk_hop_2b", original.taskId(), original.fromAgent(), original.toAgent(), original.issuedAt(),
            original.expiresAt(), "nonce-hop-2b", original.capabilityToken(), original.intent(),
            original.taskType(), original.goal(), original.context(), original.memoryRefs(),
            Permissions.of(java.util.List.of("search", "read"), 2), original.constraints(),
            original.provenance(), original.signatureAlgo(), "", original.publicKey(), Set.of());
    SignedTaskPacket signed = PacketSignatures.sign(wider, HandoffVectors.key("B"));
    assertThat(receiver("C", authority()).receive(signed.toWire()).reason()).contains(Reasons.POLICY_VIOLATION);
  }
}
