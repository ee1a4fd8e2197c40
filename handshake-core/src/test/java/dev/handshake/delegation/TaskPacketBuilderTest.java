package dev.handshake.delegation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.identity.AgentIds;
import dev.handshake.json.CanonicalJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** trusthandoff.md §4 items 2, 3 and the §2.4 interop rule for packets we sign. */
class TaskPacketBuilderTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T10:00:00.123456Z"), ZoneOffset.UTC);

  private static SignedTaskPacket packet(ObjectNode context) {
    return TaskPacketBuilder.from(HandoffVectors.key("A"))
        .to(HandoffVectors.agentId("B"))
        .intent("Résumé ✓ \"q\"")
        .actions(List.of("search", "read"))
        .maxToolCalls(3)
        .context(context)
        .expiresIn(Duration.ofMinutes(5))
        .sign(CLOCK);
  }

  @Test
  void item03_aSignedPacketKeepsFromAgentCarriesTheDerivedIdAndVerifies() {
    SignedTaskPacket p = packet((ObjectNode) CanonicalJson.parse("{\"b\":1,\"a\":{\"z\":true,\"y\":null}}"));
    assertThat(p.fromAgent()).isEqualTo(AgentIds.trustHandoff(HandoffVectors.key("A").publicKey()))
        .isEqualTo(HandoffVectors.agentId("A"));
    assertThat(p.signature()).hasSize(88);
    assertThat(p.capabilityToken()).isEmpty();
    assertThat(p.issuedAt().canonical()).isEqualTo("2026-11-21T10:00:00.123456Z");
    assertThat(p.expiresAt().canonical()).isEqualTo("2026-11-21T10:05:00.123456Z");
    assertThat(PacketSignatures.verify(p, PacketSignatures.Decoding.STRICT, true)).isTrue();
  }

  @Test
  void item02_aCapabilityTokenIsCarriedAndSigned() {
    SignedTaskPacket p =
        TaskPacketBuilder.from(HandoffVectors.key("A")).to("agent:x").intent("i")
            .capabilityToken("tok").sign(CLOCK);
    assertThat(p.capabilityToken()).contains("tok");
    assertThat(p.toWire()).contains("\"capability_token\":\"tok\"");
    assertThat(PacketSignatures.verify(p.withSignature(p.signature()), PacketSignatures.Decoding.STRICT, true)).isTrue();
  }

  @Test
  void ourPacketsVerifyAfterBothReferenceWireFormsEvenWithAnUnsortedContext() throws Exception {
    ObjectNode unsorted =
        (ObjectNode) CanonicalJson.parse("{\"zeta\":[{\"k2\":1,\"k1\":\"é\"}],\"alpha\":\"\uD83D\uDE00\",\"\uE000\":0}");
    SignedTaskPacket p = packet(unsorted);
    assertThat(p.context().propertyNames()).containsExactly("alpha", "zeta", "\uE000");
    HandoffReceiver receiver =
        new HandoffReceiver(HandoffConfig.defaults(), Set.of(HandoffVectors.agentId("B")),
            new AgentRegistry(), new InMemoryReplayStore(), CapabilityGate.NO_TRUST_ANCHORS, CLOCK, true);
    DelegationEnvelope envelope = DelegationEnvelope.of(p);
    assertThat(receiver.receive(envelope.toSortedWire()).reason()).contains(Reasons.ACCEPTED);
    SignedTaskPacket again = SignedTaskPacket.parse(HandoffVectors.wire(envelope.toWire()).path("packet"));
    assertThat(PacketSignatures.verify(again, PacketSignatures.Decoding.STRICT, true)).isTrue();
  }

  @Test
  void floatsAnywhereInTheContextAreRefusedAtSigning() {
    for (String json : new String[] {"{\"a\":1.5}", "{\"a\":[1,{\"b\":2.0}]}", "{\"a\":1e3}"}) {
      assertThatThrownBy(() -> packet((ObjectNode) CanonicalJson.parse(json)))
          .as(json).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("float");
    }
  }

  @Test
  void toAndIntentAreRequired() {
    assertThatThrownBy(() -> TaskPacketBuilder.from(HandoffVectors.key("A")).intent("i").sign(CLOCK))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("to_agent");
    assertThatThrownBy(() -> TaskPacketBuilder.from(HandoffVectors.key("A")).to("agent:x").sign(CLOCK))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("intent");
    assertThat(TaskPacketBuilder.DEFAULT_LIFETIME).as("the reference adapters' default").isEqualTo(Duration.ofMinutes(10));
  }
}
