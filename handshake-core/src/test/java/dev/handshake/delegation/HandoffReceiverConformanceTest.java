package dev.handshake.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.delegation.HandoffConfig.ReasonStyle;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The receive pipeline against the vectors (trusthandoff.md §4 items 6, 9, 11, 12, 19, 21–26,
 * 29–31): the reference profile reproduces every recorded reference decision (an exception becomes
 * {@code Invalid signature}); our default profile gives the spec's decision.
 */
class HandoffReceiverConformanceTest {
  /** When the reference results were recorded. */
  private static final Instant EVALUATED = Instant.parse("2026-11-21T03:22:36Z");
  private static final Clock CLOCK = Clock.fixed(EVALUATED, ZoneOffset.UTC);
  private static final String V023 = "0.2.3";
  private static final String V031 = "0.3.1-main-596f572";

  private static AgentRegistry registryAbc() {
    AgentRegistry r = new AgentRegistry();
    for (String a : List.of("A", "B", "C")) {
      r.register(HandoffVectors.agentId(a), HandoffVectors.pem(a));
    }
    return r;
  }

  /** The vector profile of §4: ours, no lifetime cap, receiver = the packet's to_agent. */
  static HandoffReceiver ours(String receiverId, ReplayStore store) {
    return new HandoffReceiver(
        HandoffConfig.defaults().withMaxPacketLifetime(Optional.empty()), Set.of(receiverId),
        registryAbc(), store, CapabilityGate.NO_TRUST_ANCHORS, CLOCK, true);
  }

  private static HandoffReceiver reference(String version, boolean registry, ReplayStore store) {
    ReasonStyle style = version.equals(V023) ? ReasonStyle.V0_2_3 : ReasonStyle.V0_3_1;
    return new HandoffReceiver(
        HandoffConfig.reference(style), Set.of(), registryAbc(), store,
        CapabilityGate.NO_TRUST_ANCHORS, CLOCK, registry);
  }

  private static JsonNode negative(String prefix) {
    for (JsonNode c : HandoffVectors.NEGATIVE.path("cases")) {
      if (c.path("name").stringValue().startsWith(prefix)) {
        return c;
      }
    }
    throw new IllegalArgumentException(prefix);
  }

  private static String input(JsonNode c) {
    return c.has("envelope_json") ? c.path("envelope_json").stringValue() : c.path("packet_json").stringValue();
  }

  /** A recorded reference outcome as decision/reason; "raises …" reads as our Invalid signature. */
  private static String expected(JsonNode recorded) {
    if (recorded.isString()) {
      assertThat(recorded.stringValue()).startsWith("raises");
      return "REJECT " + Reasons.INVALID_SIGNATURE;
    }
    return recorded.path("decision").stringValue() + " " + recorded.path("reason").stringValue();
  }

  private static String actual(Decision d) {
    return d.verdict() + " " + d.reason().orElse("null");
  }

  static Stream<Arguments> packetCasesByVersion() {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode c : HandoffVectors.NEGATIVE.path("cases")) {
      if (c.path("kind").stringValue().equals("packet")) {
        out.add(Arguments.of(c.path("name").stringValue(), V023));
        out.add(Arguments.of(c.path("name").stringValue(), V031));
      }
    }
    for (JsonNode c : HandoffVectors.SINGLE.path("cases")) {
      out.add(Arguments.of(c.path("name").stringValue(), V023));
      out.add(Arguments.of(c.path("name").stringValue(), V031));
    }
    return out.stream();
  }

  private static JsonNode anyCase(String name) {
    return name.startsWith("S") ? HandoffVectors.singleCase(name) : negative(name);
  }

  @ParameterizedTest(name = "{0} as {1}")
  @MethodSource("packetCasesByVersion")
  void items21to29_referenceProfileReproducesEveryRecordedReferenceDecision(String name, String version)
      throws Exception {
    JsonNode c = anyCase(name);
    JsonNode results = c.path("python_results").path(version);
    JsonNode results2 = results.has("from_packet_json") ? results.path("from_packet_json") : results;
    String json = c.path("packet_json").stringValue();

    HandoffReceiver middleware = reference(version, false, new InMemoryReplayStore());
    assertThat(actual(middleware.processHandoff(SignedTaskPacket.parse(HandoffVectors.wire(json)))))
        .as("process_handoff").isEqualTo(expected(results2.path("process_handoff")));
    assertThat(actual(middleware.receive(json)))
        .as("middleware first").isEqualTo(expected(results2.path("middleware_handle_first")));
    assertThat(actual(middleware.receive(json)))
        .as("middleware second").isEqualTo(expected(results2.path("middleware_handle_second")));
    assertThat(actual(reference(version, true, new InMemoryReplayStore()).receive(json)))
        .as("registry").isEqualTo(expected(results2.path("verify_envelope_with_registry_ABC")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"N06", "N10"})
  void item21_referenceProfileEnvelopeCases(String prefix) {
    JsonNode c = negative(prefix);
    for (String version : List.of(V023, V031)) {
      assertThat(actual(reference(version, false, new InMemoryReplayStore()).receive(input(c))))
          .as(prefix + " " + version)
          .isEqualTo(expected(c.path("python_results").path(version).path("middleware_handle_max_depth_5")));
    }
  }

  private static final Map<String, String> OURS =
      Map.ofEntries(
          Map.entry("N01", Reasons.INVALID_SIGNATURE),
          Map.entry("N02", Reasons.INVALID_SIGNATURE),
          Map.entry("N03", Reasons.BINDING_FAILED),
          Map.entry("N04", Reasons.EXPIRED),
          Map.entry("N05", Reasons.ISSUED_IN_FUTURE),
          Map.entry("N06", Reasons.INVALID_SIGNATURE),
          Map.entry("N07", Reasons.INVALID_SIGNATURE),
          Map.entry("N08", Reasons.INVALID_SIGNATURE),
          Map.entry("N10", Reasons.DEPTH_EXCEEDED),
          Map.entry("N19", Reasons.INVALID_SIGNATURE),
          Map.entry("N20", Reasons.INVALID_SIGNATURE),
          Map.entry("N21", Reasons.INVALID_SIGNATURE));

  @ParameterizedTest
  @ValueSource(strings = {"N01", "N02", "N03", "N04", "N05", "N06", "N07", "N08", "N10", "N19", "N20", "N21"})
  void items21to30_oursRejectsWithTheSpecsReasonAndTheSameReasonAgain(String prefix) {
    JsonNode c = negative(prefix);
    HandoffReceiver receiver = ours(HandoffVectors.agentId("B"), new InMemoryReplayStore());
    Decision first = receiver.receive(input(c));
    assertThat(actual(first)).isEqualTo("REJECT " + OURS.get(prefix));
    assertThat(first.packetId()).isEqualTo("pk_vec_001");
    assertThat(actual(receiver.receive(input(c)))).as("the nonce was not burned").isEqualTo(actual(first));
  }

  @Test
  void item26_anUnknownTopLevelFieldIsIgnoredAndNotExposed() throws Exception {
    JsonNode c = negative("N09");
    HandoffReceiver receiver = ours(HandoffVectors.agentId("B"), new InMemoryReplayStore());
    assertThat(actual(receiver.receive(input(c)))).isEqualTo("ACCEPT " + Reasons.ACCEPTED);
    SignedTaskPacket p = SignedTaskPacket.parse(HandoffVectors.wire(input(c)));
    assertThat(p.unknownFields()).containsExactly("injected");
    assertThat(p.toWire()).doesNotContain("injected");
    HandoffReceiver strict =
        new HandoffReceiver(
            HandoffConfig.defaults().withMaxPacketLifetime(Optional.empty()).withRejectUnknownFields(true),
            Set.of(HandoffVectors.agentId("B")), registryAbc(), new InMemoryReplayStore(),
            CapabilityGate.NO_TRUST_ANCHORS, CLOCK, true);
    assertThat(actual(strict.receive(input(c)))).isEqualTo("REJECT " + Reasons.INVALID_SIGNATURE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"S1_minimal", "S2_full"})
  void item19_validPacketsAreAcceptedOnceThenReplays(String name) {
    JsonNode c = HandoffVectors.singleCase(name);
    HandoffReceiver receiver = ours(HandoffVectors.agentId("B"), new InMemoryReplayStore());
    String json = c.path("packet_json").stringValue();
    assertThat(actual(receiver.receive(json))).isEqualTo("ACCEPT " + Reasons.ACCEPTED);
    assertThat(actual(receiver.receive(json))).isEqualTo("REJECT " + Reasons.REPLAY);
    assertThat(actual(receiver.receive(c.path("envelope_wire_json_envelope_to_json").stringValue())))
        .as("the same packet in the other wire form is the same nonce")
        .isEqualTo("REJECT " + Reasons.REPLAY);
  }

  @Test
  void item30_aGenuinePacketAfterAForgedOneWithTheSameNonceIsAccepted() {
    HandoffReceiver receiver = ours(HandoffVectors.agentId("B"), new InMemoryReplayStore());
    assertThat(actual(receiver.receive(input(negative("N01"))))).isEqualTo("REJECT " + Reasons.INVALID_SIGNATURE);
    assertThat(actual(receiver.receive(input(negative("N03"))))).isEqualTo("REJECT " + Reasons.BINDING_FAILED);
    assertThat(actual(receiver.receive(HandoffVectors.singleCase("S1_minimal").path("packet_json").stringValue())))
        .isEqualTo("ACCEPT " + Reasons.ACCEPTED);
  }

  @Test
  void item31_audienceLifetimeAndLoopsAreEnforced() {
    String s1 = HandoffVectors.singleCase("S1_minimal").path("packet_json").stringValue();
    assertThat(actual(ours(HandoffVectors.agentId("C"), new InMemoryReplayStore()).receive(s1)))
        .isEqualTo("REJECT " + Reasons.AUDIENCE_MISMATCH);
    HandoffReceiver capped =
        new HandoffReceiver(
            HandoffConfig.defaults(), Set.of(HandoffVectors.agentId("B")), registryAbc(),
            new InMemoryReplayStore(), CapabilityGate.NO_TRUST_ANCHORS, CLOCK, true);
    assertThat(actual(capped.receive(s1))).isEqualTo("REJECT " + Reasons.LIFETIME_EXCEEDED);
    String loop =
        "{\"packet\":" + s1 + ",\"chain\":{\"packet_ids\":[\"pk_vec_001\"],\"agents\":[\""
            + HandoffVectors.agentId("A") + "\",\"" + HandoffVectors.agentId("B") + "\"],\"hops\":[]}}";
    assertThat(actual(ours(HandoffVectors.agentId("B"), new InMemoryReplayStore()).receive(loop)))
        .isEqualTo("REJECT " + Reasons.INVALID_CHAIN);
  }

  @Test
  void item11_theSameEnvelopeTwiceIsAReplayInBothProfiles() {
    String env = HandoffVectors.singleCase("S1_minimal").path("envelope_model_dump_json").stringValue();
    HandoffReceiver ref = reference(V031, false, new InMemoryReplayStore());
    assertThat(actual(ref.receive(env))).isEqualTo("ACCEPT " + Reasons.ACCEPTED);
    assertThat(actual(ref.receive(env))).isEqualTo("REJECT " + Reasons.REPLAY);
  }

  @Test
  void item12_registryIdentityChecksInOurProfile() throws Exception {
    String s1 = HandoffVectors.singleCase("S1_minimal").path("packet_json").stringValue();
    AgentRegistry empty = new AgentRegistry();
    HandoffConfig registryOnly =
        HandoffConfig.defaults().withMaxPacketLifetime(Optional.empty())
            .withIdentityPolicy(HandoffConfig.IdentityPolicy.REGISTRY);
    Set<String> b = Set.of(HandoffVectors.agentId("B"));
    assertThat(actual(new HandoffReceiver(registryOnly, b, empty, new InMemoryReplayStore(),
            CapabilityGate.NO_TRUST_ANCHORS, CLOCK, true).receive(s1)))
        .isEqualTo("REJECT " + Reasons.UNKNOWN_AGENT);
    AgentRegistry wrongKey = new AgentRegistry();
    wrongKey.register(HandoffVectors.agentId("A"), HandoffVectors.pem("X"));
    assertThat(actual(new HandoffReceiver(registryOnly, b, wrongKey, new InMemoryReplayStore(),
            CapabilityGate.NO_TRUST_ANCHORS, CLOCK, true).receive(s1)))
        .isEqualTo("REJECT " + Reasons.BINDING_FAILED);
    AgentRegistry revoked = registryAbc();
    revoked.revoke(HandoffVectors.agentId("A"));
    assertThat(actual(new HandoffReceiver(registryOnly, b, revoked, new InMemoryReplayStore(),
            CapabilityGate.NO_TRUST_ANCHORS, CLOCK, true).receive(s1)))
        .isEqualTo("REJECT " + Reasons.AGENT_REVOKED);
    HandoffReceiver good = new HandoffReceiver(registryOnly, b, registryAbc(), new InMemoryReplayStore(),
        CapabilityGate.NO_TRUST_ANCHORS, CLOCK, true);
    assertThat(actual(good.receive(s1))).isEqualTo("ACCEPT " + Reasons.ACCEPTED);
    assertThat(actual(good.receive(s1))).isEqualTo("REJECT " + Reasons.REPLAY);
    // the reference's registry mode names its own guard's replay differently
    HandoffReceiver ref = reference(V031, true, new InMemoryReplayStore());
    assertThat(actual(ref.receive(s1))).isEqualTo("ACCEPT " + Reasons.ACCEPTED);
    assertThat(actual(ref.receive(s1))).isEqualTo("REJECT " + Reasons.REPLAY_REGISTRY);
  }

  @Test
  void badInputOfEveryKindIsADecisionNotAnException() {
    for (String bad : new String[] {"", "null", "{", "[1]", "{\"packet_id\":7}", "\"x\"", "{\"packet_id\":\"p\"}"}) {
      Decision d = ours(HandoffVectors.agentId("B"), new InMemoryReplayStore()).receive(bad);
      assertThat(d.verdict()).as(bad).isEqualTo(Decision.Verdict.REJECT);
      assertThat(d.reason()).as(bad).isPresent();
    }
    assertThat(ours(HandoffVectors.agentId("B"), new InMemoryReplayStore()).receive("{\"packet_id\":\"p\"}").packetId())
        .isEqualTo("p");
  }
}
