package dev.handshake.delegation.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.delegation.ReplayStore.Outcome;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The reference profile's replay memory over HTTP: bounded, oldest forgotten, never full. */
class EvictingReplayStoreTest {
  private static final Instant NOW = Instant.parse("2026-11-21T00:00:00Z");
  private static final Instant FOREVER = Instant.parse("9999-01-01T00:00:00Z");

  @Test
  void item11_aSecondSightingIsAReplayUntilTheOldestIsEvicted() {
    EvictingReplayStore store = new EvictingReplayStore(2);
    assertThat(store.checkAndRecord("", "n1", FOREVER, NOW)).isEqualTo(Outcome.FIRST);
    assertThat(store.checkAndRecord("", "n1", FOREVER, NOW)).isEqualTo(Outcome.REPLAY);
    assertThat(store.checkAndRecord("", "n2", FOREVER, NOW)).isEqualTo(Outcome.FIRST);
    assertThat(store.checkAndRecord("", "n3", FOREVER, NOW))
        .as("never FULL")
        .isEqualTo(Outcome.FIRST);
    assertThat(store.size(NOW)).isEqualTo(2);
    assertThat(store.checkAndRecord("", "n2", FOREVER, NOW))
        .as("still remembered")
        .isEqualTo(Outcome.REPLAY);
    assertThat(store.checkAndRecord("", "n1", FOREVER, NOW))
        .as("the oldest was forgotten")
        .isEqualTo(Outcome.FIRST);
  }

  @Test
  void anExpiredPairIsNoLongerAReplay() {
    EvictingReplayStore store = new EvictingReplayStore(10);
    store.checkAndRecord("agent:a", "n", NOW.plusSeconds(600), NOW);
    assertThat(store.checkAndRecord("agent:a", "n", FOREVER, NOW.plusSeconds(599)))
        .isEqualTo(Outcome.REPLAY);
    assertThat(store.checkAndRecord("agent:b", "n", FOREVER, NOW))
        .as("scoped by signer")
        .isEqualTo(Outcome.FIRST);
    assertThat(store.checkAndRecord("agent:a", "n", FOREVER, NOW.plusSeconds(600)))
        .isEqualTo(Outcome.FIRST);
  }
}
