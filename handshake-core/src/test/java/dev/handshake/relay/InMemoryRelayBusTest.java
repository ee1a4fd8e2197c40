package dev.handshake.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.pairing.flow.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The router contract on the in-process bus, its leases measured by a clock the test moves. */
class InMemoryRelayBusTest extends RelayRouterContract {
  static final Duration LEASE = Duration.ofSeconds(30);

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T12:00:00Z"));
  final InMemoryRelayBus bus = InMemoryRelayBus.create(clock, LEASE);

  @Override
  protected RelayRouter newNode(String nodeId) {
    return bus.join(nodeId);
  }

  @Override
  protected Duration leaseTime() {
    return LEASE;
  }

  @Override
  protected void elapse(Duration time) {
    clock.advance(time);
  }

  @Test
  void twoNodesCannotShareAName() {
    join("a");

    assertThatThrownBy(() -> bus.join("a")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withoutALeaseTimeClaimsLastUntilReleased() {
    MutableClock frozenInTime = new MutableClock(Instant.parse("2026-01-01T12:00:00Z"));
    InMemoryRelayBus forever = InMemoryRelayBus.create(frozenInTime, Duration.ZERO);
    RelayRouter a = forever.join("a");
    a.attach(new TestNode());
    a.claim("bot:a", key(), false);

    frozenInTime.advance(Duration.ofDays(3650));

    assertThat(forever.join("b").locate("bot:a")).contains("a");
  }
}
