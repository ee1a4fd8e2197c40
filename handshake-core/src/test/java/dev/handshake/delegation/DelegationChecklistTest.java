package dev.handshake.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** trusthandoff.md §4 items 6, 9, 10, 11, 13 and 16. */
class DelegationChecklistTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T03:22:36Z"), ZoneOffset.UTC);
  private static final String S1 = HandoffVectors.singleCase("S1_minimal").path("packet_json").stringValue();

  private static HandoffReceiver receiver(HandoffConfig config) {
    AgentRegistry registry = new AgentRegistry();
    HandoffVectors.registryAbc().forEach(registry::register);
    return new HandoffReceiver(config, Set.of(HandoffVectors.agentId("B")), registry,
        new InMemoryReplayStore(), CapabilityGate.NO_TRUST_ANCHORS, CLOCK, true);
  }

  private static HandoffConfig vectorProfile() {
    return HandoffConfig.defaults().withMaxPacketLifetime(Optional.empty());
  }

  @Test
  void item06_acceptInvalidSignatureAndInvalidPacketAreCollectedAndACollectorFailureIsSwallowed() {
    HandoffReceiver r = receiver(vectorProfile());
    List<String> events = new ArrayList<>();
    r.collect((event, decision) -> events.add(event + " " + decision.reason().orElse("")));
    assertThat(r.receive(S1).accepted()).isTrue();
    r.receive(S1.replace("Research", "Researcx"));
    r.receive(HandoffVectors.negativeCase("N04").path("packet_json").stringValue());
    assertThat(events).containsExactly(
        DecisionCollector.ACCEPTED + " " + Reasons.ACCEPTED,
        DecisionCollector.INVALID_SIGNATURE + " " + Reasons.INVALID_SIGNATURE,
        DecisionCollector.INVALID_PACKET + " " + Reasons.EXPIRED);
    r.collect((event, decision) -> {
      throw new IllegalStateException("collector down");
    });
    assertThat(r.receive(S1).reason()).contains(Reasons.REPLAY);
    assertThat(receiver(vectorProfile()).receive(S1).reason()).as("no collector is fine").contains(Reasons.ACCEPTED);
  }

  private static String envelopeWithIds(int ids) {
    StringBuilder pk = new StringBuilder("\"pk_vec_001\"");
    StringBuilder agents = new StringBuilder("\"" + HandoffVectors.agentId("A") + "\"");
    for (int i = 1; i < ids; i++) {
      pk.append(",\"pk_").append(i).append('"');
      agents.append(",\"agent:hop").append(i).append('"');
    }
    return "{\"packet\":" + S1 + ",\"chain\":{\"packet_ids\":[" + pk + "],\"agents\":[" + agents + "],\"hops\":[]}}";
  }

  @Test
  void item09_depthThreeWithMaxThreePassesFourFailsAndSixWithMaxFiveIsRejected() throws Exception {
    DelegationChain three = DelegationEnvelope.parse(envelopeWithIds(3)).chain();
    DelegationChain four = DelegationEnvelope.parse(envelopeWithIds(4)).chain();
    assertThat(three.withinMaxDepth(3)).isTrue();
    assertThat(four.withinMaxDepth(3)).isFalse();
    assertThat(receiver(vectorProfile().withMaxDepth(3)).receive(envelopeWithIds(3)).reason()).contains(Reasons.ACCEPTED);
    assertThat(receiver(vectorProfile().withMaxDepth(3)).receive(envelopeWithIds(4)).reason())
        .contains(Reasons.DEPTH_EXCEEDED);
    assertThat(receiver(vectorProfile()).receive(envelopeWithIds(6)).reason()).contains(Reasons.DEPTH_EXCEEDED);
  }

  @Test
  void item10_loopDetectionHelper() {
    DelegationChain chain = new DelegationChain(List.of("p1"), List.of("agent:a"), List.of());
    assertThat(chain.wouldLoop("agent:b")).isFalse();
    assertThat(chain.wouldLoop("agent:a")).isTrue();
  }

  @Test
  void item11_theExecutorRunsTheTaskOnAcceptOnlyAndReportsTaskExecuted() {
    AtomicInteger runs = new AtomicInteger();
    HandoffReceiver.Execution<Integer> ok = receiver(vectorProfile()).execute(S1, runs::incrementAndGet);
    assertThat(ok.decision().reason()).contains(Reasons.EXECUTED);
    assertThat(ok.result()).contains(1);
    HandoffReceiver.Execution<Integer> deep = receiver(vectorProfile()).execute(envelopeWithIds(6), runs::incrementAndGet);
    assertThat(deep.decision().reason()).contains(Reasons.DEPTH_EXCEEDED);
    assertThat(deep.result()).isEmpty();
    assertThat(runs).hasValue(1);
  }

  @Test
  void item13_registryRegisterResolveRevoke() {
    AgentRegistry r = new AgentRegistry();
    assertThat(r.resolve("agent:x")).isEmpty();
    assertThat(r.isRegistered("agent:x")).isFalse();
    r.register("agent:x", HandoffVectors.pem("X"));
    assertThat(r.isRegistered("agent:x")).isTrue();
    assertThat(r.resolve("agent:x")).contains(HandoffVectors.pem("X"));
    assertThat(r.isRevoked("agent:x")).isFalse();
    r.revoke("agent:x");
    assertThat(r.isRevoked("agent:x")).isTrue();
  }

  private static CapabilityAuthority authority() throws Exception {
    return new CapabilityAuthority(
            CapabilityChainPolicy.of(IssuerKeys.registryOrDerived(HandoffVectors.registryAbc()),
                Set.of(HandoffVectors.agentId("A")), CLOCK))
        .hold(DelegationCapability.parse(HandoffVectors.wire(
            HandoffVectors.capability("cap-vec-1").path("capability_json").stringValue())));
  }

  @Test
  void item16_capabilityTokenEnvelopesRoundTripAndVerifyNonceLast() throws Exception {
    ObjectNode payload = Json.object();
    payload.put("query", "weather");
    String token = HandoffVectors.capability("cap-vec-2").path("token").stringValue();
    CapabilityTokenEnvelope env =
        new CapabilityTokenEnvelope(payload, token, "n-1", HandoffTime.utc(CLOCK.instant().minusSeconds(5)));
    CapabilityTokenEnvelope back = CapabilityTokenEnvelope.parse(env.toJson());
    assertThat(back).isEqualTo(env);

    InMemoryReplayStore replay = new InMemoryReplayStore();
    Duration skew = Duration.ofSeconds(30);
    Duration age = Duration.ofSeconds(300);
    String c = HandoffVectors.agentId("C");
    CapabilityAuthority authority = authority();
    CapabilityTokenEnvelope forged =
        new CapabilityTokenEnvelope(payload, token.substring(0, token.length() - 4) + "AAAA", "n-1", env.issuedAt());
    assertThat(authority.verifyEnvelope(forged, c, replay, CLOCK.instant(), skew, age)).contains(Reasons.INVALID_CHAIN);
    assertThat(authority.verifyEnvelope(env, c, replay, CLOCK.instant(), skew, age))
        .as("the forged envelope did not burn the nonce").isEmpty();
    assertThat(authority.verifyEnvelope(env, c, replay, CLOCK.instant(), skew, age)).contains(Reasons.REPLAY);
    CapabilityTokenEnvelope old =
        new CapabilityTokenEnvelope(payload, token, "n-2", HandoffTime.utc(CLOCK.instant().minusSeconds(301)));
    assertThat(authority.verifyEnvelope(old, c, replay, CLOCK.instant(), skew, age)).contains(Reasons.EXPIRED);
    CapabilityTokenEnvelope future =
        new CapabilityTokenEnvelope(payload, token, "n-3", HandoffTime.utc(CLOCK.instant().plusSeconds(31)));
    assertThat(authority.verifyEnvelope(future, c, replay, CLOCK.instant(), skew, age)).contains(Reasons.ISSUED_IN_FUTURE);
    assertThat(authority.verifyEnvelope(env, HandoffVectors.agentId("B"), new InMemoryReplayStore(), CLOCK.instant(), skew, age))
        .as("the leaf's subject is C, not B").isPresent();
  }
}
