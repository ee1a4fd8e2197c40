package dev.handshake.delegation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.delegation.HandoffConfig.ReasonStyle;
import dev.handshake.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** trusthandoff.md §4 item 4: the 0.2.3 and 0.3.1 time rules at their edges, and ours. */
class TimeWindowTest {
  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

  private static SignedTaskPacket packet(Instant issued, Instant expires) {
    return TaskPacketBuilder.from(HandoffVectors.key("A")).to(HandoffVectors.agentId("B")).intent("t")
        .expiresIn(Duration.between(issued, expires).isPositive() ? Duration.between(issued, expires) : Duration.ofSeconds(1))
        .sign(Clock.fixed(issued, ZoneOffset.UTC));
  }

  private static SignedTaskPacket window(Instant issued, Instant expires) {
    SignedTaskPacket p = packet(issued, issued.plusSeconds(1));
    return new SignedTaskPacket(p.packetId(), p.taskId(), p.fromAgent(), p.toAgent(), HandoffTime.utc(issued),
        HandoffTime.utc(expires), p.nonce(), p.capabilityToken(), p.intent(), p.taskType(), p.goal(),
        p.context(), p.memoryRefs(), p.permissions(), p.constraints(), p.provenance(), p.signatureAlgo(),
        p.signature(), p.publicKey(), Set.of());
  }

  private static Optional<String> check(HandoffConfig c, Instant issued, Instant expires) {
    return TimeWindow.check(window(issued, expires), c, NOW);
  }

  @Test
  void item04_reference023_thirtySecondsEitherWay() {
    HandoffConfig c = HandoffConfig.reference(ReasonStyle.V0_2_3);
    Instant issued = NOW.minusSeconds(3600);
    assertThat(check(c, issued, NOW.plusSeconds(600))).isEmpty();
    assertThat(check(c, issued, NOW.minusSeconds(600))).contains(Reasons.VALIDATION_FAILED);
    assertThat(check(c, issued, NOW.minusSeconds(10))).isEmpty();
    assertThat(check(c, issued, NOW.minusSeconds(45))).contains(Reasons.VALIDATION_FAILED);
    assertThat(check(c, NOW.plusSeconds(86_400 * 365), NOW.plusSeconds(86_400 * 366)))
        .as("0.2.3 has no not-yet-valid check").isEmpty();
  }

  @Test
  void item04_v031_malformedFutureAndExpiredWithSkewAndGrace() {
    HandoffConfig c = HandoffConfig.reference(ReasonStyle.V0_3_1);
    assertThat(check(c, NOW, NOW.minusSeconds(1))).contains(Reasons.MALFORMED_TIME_WINDOW);
    HandoffConfig noSkew = c.withTimeTolerance(Duration.ZERO, Duration.ZERO);
    assertThat(check(noSkew, NOW.plusSeconds(1), NOW.plusSeconds(60))).contains(Reasons.ISSUED_IN_FUTURE);
    assertThat(check(c, NOW.plusSeconds(29), NOW.plusSeconds(60))).isEmpty();
    assertThat(check(c, NOW.plusSeconds(31), NOW.plusSeconds(60))).contains(Reasons.ISSUED_IN_FUTURE);
    assertThat(check(c, NOW.minusSeconds(60), NOW.minusSeconds(1))).contains(Reasons.EXPIRED);
    HandoffConfig grace10 = c.withTimeTolerance(Duration.ofSeconds(30), Duration.ofSeconds(10));
    assertThat(check(grace10, NOW.minusSeconds(60), NOW.minusSeconds(9))).isEmpty();
    assertThat(check(grace10, NOW.minusSeconds(60), NOW.minusSeconds(11))).contains(Reasons.EXPIRED);
  }

  @Test
  void item04_skewIsCappedAt300AndGraceAt60AtStartUp() {
    HandoffConfig c = HandoffConfig.defaults();
    assertThat(c.withTimeTolerance(Duration.ofSeconds(300), Duration.ofSeconds(60)).issuanceSkew())
        .isEqualTo(Duration.ofSeconds(300));
    assertThatThrownBy(() -> c.withTimeTolerance(Duration.ofSeconds(301), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..300");
    assertThatThrownBy(() -> c.withTimeTolerance(Duration.ZERO, Duration.ofSeconds(61)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..60");
  }

  @Test
  void oursAddsTheLifetimeCapAndNaiveDatetimesAreRejectedNotThrown() throws Exception {
    HandoffConfig c = HandoffConfig.defaults();
    assertThat(check(c, NOW.minusSeconds(60), NOW.plus(Duration.ofHours(24)).minusSeconds(61))).isEmpty();
    assertThat(check(c, NOW.minusSeconds(60), NOW.plus(Duration.ofHours(25)))).contains(Reasons.LIFETIME_EXCEEDED);
    SignedTaskPacket p = window(NOW.minusSeconds(60), NOW.plusSeconds(60));
    SignedTaskPacket naive = new SignedTaskPacket(p.packetId(), p.taskId(), p.fromAgent(), p.toAgent(),
        HandoffTime.parse("2026-11-21T11:59:00").orElseThrow(), p.expiresAt(), p.nonce(), p.capabilityToken(),
        p.intent(), p.taskType(), p.goal(), p.context(), p.memoryRefs(), p.permissions(), p.constraints(),
        p.provenance(), p.signatureAlgo(), p.signature(), p.publicKey(), Set.of());
    assertThat(TimeWindow.check(naive, c, NOW)).contains(Reasons.MALFORMED_TIME_WINDOW);
    assertThat(TimeWindow.check(naive, c.withReasonStyle(ReasonStyle.V0_2_3), NOW)).contains(Reasons.VALIDATION_FAILED);
  }

  @Test
  void datetimesKeepTheirTextAcrossEveryAcceptedSpelling() {
    assertThat(HandoffTime.parse("2026-01-01T14:00:00.250000+02:00").orElseThrow().canonical())
        .isEqualTo("2026-01-01T14:00:00.250000+02:00");
    assertThat(HandoffTime.parse("2026-01-01T12:00:00+00:00").orElseThrow().canonical()).isEqualTo("2026-01-01T12:00:00Z");
    assertThat(HandoffTime.parse("2026-01-01 12:00:00.1234567Z").orElseThrow().canonical())
        .isEqualTo("2026-01-01T12:00:00.123456Z");
    assertThat(HandoffTime.parse("2099-12-31T23:59:59.5Z").orElseThrow().pythonStr())
        .isEqualTo("2099-12-31 23:59:59.500000+00:00");
    assertThat(HandoffTime.parse("1767268800").orElseThrow().canonical()).isEqualTo("2026-01-01T12:00:00Z");
    assertThat(HandoffTime.parse("2026-02-30T00:00:00Z")).isEmpty();
    assertThat(HandoffTime.parse("yesterday")).isEmpty();
    assertThat(HandoffTime.parse("2026-01-01T12:00:00").orElseThrow().aware()).isFalse();
  }

  @Test
  void aReceiverWithABrokenReplayStoreFailsClosed() throws Exception {
    // What the Redis and PostgreSQL stores throw when their server is down (a closed SQLite store
    // throws IllegalStateException, covered in handshake-store-sqlite's SqliteReplayStoreTest).
    ReplayStore store = new ReplayStore() {
      @Override
      public Outcome checkAndRecord(String signer, String nonce, Instant retainUntil, Instant now) {
        throw new StoreUnavailableException("replay store unreachable");
      }

      @Override
      public long size(Instant now) {
        return 0;
      }

      @Override
      public void close() {}
    };
    HandoffReceiver r = new HandoffReceiver(HandoffConfig.defaults(), Set.of(HandoffVectors.agentId("B")),
        new AgentRegistry(), store, CapabilityGate.NO_TRUST_ANCHORS, Clock.fixed(NOW, ZoneOffset.UTC), true);
    SignedTaskPacket p = packet(NOW.minusSeconds(1), NOW.plusSeconds(60));
    assertThat(r.receive(p.toWire()).reason()).contains(Reasons.REPLAY_STORE_UNAVAILABLE);
  }
}
