package dev.handshake.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * trusthandoff.md §4 item 15 and §3 items 9, 11: the execution gate over the two-hop vectors —
 * cap-vec-2 allows "search" at most twice, counted by the gate itself.
 */
class ExecutionGateTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T03:22:36Z"), ZoneOffset.UTC);
  private static final ExecutionGate.ActionPolicy ALLOW_ALL = (cap, action) -> Optional.empty();

  private final List<String> events = new ArrayList<>();

  private ExecutionGate gate(Optional<ExecutionGate.ActionPolicy> policy) throws Exception {
    CapabilityAuthority authority =
        new CapabilityAuthority(
                CapabilityChainPolicy.of(
                    IssuerKeys.registryOrDerived(HandoffVectors.registryAbc()),
                    Set.of(HandoffVectors.agentId("A")), CLOCK))
            .hold(DelegationCapability.parse(HandoffVectors.wire(
                HandoffVectors.capability("cap-vec-1").path("capability_json").stringValue())));
    return new ExecutionGate(authority, new ToolCallCounter(), policy, (e, d) -> events.add(e), CLOCK);
  }

  private static SignedTaskPacket hop2() throws Exception {
    return SignedTaskPacket.parse(HandoffVectors.wire(
        HandoffVectors.TWO_HOP.path("packets").path("pk_hop_2").path("packet_json").stringValue()));
  }

  @Test
  void item15_anAllowedActionRunsUntilTheLeafsToolCallLimitCountedByTheGate() throws Exception {
    ExecutionGate gate = gate(Optional.of(ALLOW_ALL));
    AtomicInteger runs = new AtomicInteger();
    assertThat(gate.execute(hop2(), "search", runs::incrementAndGet))
        .isEqualTo(new ExecutionGate.Outcome.Ran<>(1, 1L));
    assertThat(gate.execute(hop2(), "search", runs::incrementAndGet))
        .isEqualTo(new ExecutionGate.Outcome.Ran<>(2, 2L));
    assertThat(gate.execute(hop2(), "search", runs::incrementAndGet))
        .isEqualTo(new ExecutionGate.Outcome.Denied<>(ExecutionGate.NOT_AUTHORIZED, Optional.empty()));
    assertThat(runs).hasValue(2);
    assertThat(events).containsExactly(
        ExecutionGate.ALLOWED, ExecutionGate.ALLOWED, ExecutionGate.NOT_AUTHORIZED);
  }

  @Test
  void item15_anActionTheLeafDoesNotGrantIsNotAuthorized() throws Exception {
    assertThat(gate(Optional.of(ALLOW_ALL)).execute(hop2(), "read", () -> "ran"))
        .isEqualTo(new ExecutionGate.Outcome.Denied<>(ExecutionGate.NOT_AUTHORIZED, Optional.empty()));
  }

  @Test
  void item15_aPacketWithoutATokenDoesNotRun() throws Exception {
    SignedTaskPacket plain = SignedTaskPacket.parse(
        HandoffVectors.wire(HandoffVectors.singleCase("S1_minimal").path("packet_json").stringValue()));
    assertThat(gate(Optional.of(ALLOW_ALL)).execute(plain, "read", () -> "ran"))
        .isEqualTo(new ExecutionGate.Outcome.Denied<>(ExecutionGate.MISSING_TOKEN, Optional.empty()));
    assertThat(events).containsExactly(ExecutionGate.MISSING_TOKEN);
  }

  @Test
  void item15_theSampleFileWritePolicyDeniesWithItsReason() throws Exception {
    ExecutionGate.ActionPolicy noFileWrite =
        (cap, action) -> action.equals("file_write") ? Optional.of("policy_denied:file_write") : Optional.empty();
    assertThat(gate(Optional.of(noFileWrite)).execute(hop2(), "file_write", () -> "ran"))
        .isEqualTo(new ExecutionGate.Outcome.Denied<>(
            ExecutionGate.POLICY_DENIED, Optional.of("policy_denied:file_write")));
  }

  @Test
  void withoutAPolicyTheStrictDefaultDenies() throws Exception {
    assertThat(gate(Optional.empty()).execute(hop2(), "search", () -> "ran"))
        .isEqualTo(new ExecutionGate.Outcome.Denied<>(
            ExecutionGate.POLICY_DENIED, Optional.of(ExecutionGate.NO_POLICY)));
  }

  @Test
  void anUnverifiableChainDoesNotRunAndAFailingHookChangesNothing() throws Exception {
    ExecutionGate noParent =
        new ExecutionGate(
            new CapabilityAuthority(
                CapabilityChainPolicy.of(
                    IssuerKeys.registryOrDerived(HandoffVectors.registryAbc()),
                    Set.of(HandoffVectors.agentId("A")), CLOCK)),
            new ToolCallCounter(), Optional.of(ALLOW_ALL),
            (e, d) -> {
              throw new IllegalStateException("hook down");
            },
            CLOCK);
    assertThat(noParent.execute(hop2(), "search", () -> "ran"))
        .isEqualTo(new ExecutionGate.Outcome.Denied<>(ExecutionGate.CHAIN_INVALID, Optional.empty()));
  }

  @Test
  void theCounterIsBoundedAndRefusesNewKeysWhenFullOfLiveCounts() {
    ToolCallCounter counter = new ToolCallCounter(2);
    Instant now = CLOCK.instant();
    Instant later = now.plusSeconds(60);
    assertThat(counter.tryTake("a", Optional.of(5L), later, now)).isTrue();
    assertThat(counter.tryTake("b", Optional.empty(), later, now)).isTrue();
    assertThat(counter.tryTake("c", Optional.empty(), later, now)).isFalse();
    assertThat(counter.tryTake("c", Optional.empty(), later.plusSeconds(1), later.plusSeconds(1))).isTrue();
  }
}
