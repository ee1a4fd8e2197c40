package dev.handshake.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimestampsTest {
  @Test
  void formatsLikePythonIsoformatInUtc() {
    long micros = Timestamps.micros(Instant.parse("2026-11-21T03:22:05.303544Z"));
    assertThat(Timestamps.format(micros)).isEqualTo("2026-11-21T03:22:05.303544+00:00");
    long whole = Timestamps.micros(Instant.parse("2026-11-21T03:22:05Z"));
    assertThat(Timestamps.format(whole)).as("fraction omitted when zero").isEqualTo("2026-11-21T03:22:05+00:00");
    long small = Timestamps.micros(Instant.parse("2026-11-21T03:22:05.000007Z"));
    assertThat(Timestamps.format(small)).isEqualTo("2026-11-21T03:22:05.000007+00:00");
  }

  @Test
  void parsesOffsetsAsTheSameInstant() {
    assertThat(Timestamps.parse("2026-11-21T11:00:00+08:00"))
        .contains(Instant.parse("2026-11-21T03:00:00Z"));
    assertThat(Timestamps.parse("2026-11-21T03:00:00Z")).contains(Instant.parse("2026-11-21T03:00:00Z"));
    assertThat(Timestamps.parse("2026-11-21 03:00:00")).contains(Instant.parse("2026-11-21T03:00:00Z"));
    assertThat(Timestamps.parse("2026-11-21")).contains(Instant.parse("2026-11-21T00:00:00Z"));
    assertThat(Timestamps.parse("yesterday")).isEmpty();
  }
}
