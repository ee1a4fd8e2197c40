package dev.handshake.relay;

import dev.handshake.delegation.InMemoryReplayStore;
import dev.handshake.pairing.flow.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Two engines in one process on the in-memory bus, sharing one in-memory replay store. */
class InMemoryTwoNodeRelayTest extends TwoNodeRelayContract {
  static final Duration LEASE = Duration.ofSeconds(30);

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T12:00:00Z"));
  final InMemoryRelayBus bus = InMemoryRelayBus.create(clock, LEASE);
  final InMemoryReplayStore replay = new InMemoryReplayStore();

  @Override
  protected RelayCluster cluster(String nodeId) {
    return new RelayCluster(Optional.of(bus.join(nodeId)), Optional.of(replay));
  }

  @Override
  protected void letLeasesLapse() {
    clock.advance(LEASE.plusSeconds(1));
  }
}
