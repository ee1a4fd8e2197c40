package dev.handshake.pairing.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class InMemoryChallengeStoreTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T10:00:00Z"));

  private InMemoryChallengeStore store(int max) {
    return InMemoryChallengeStore.create(
        DevicePairingConfig.defaults().challenges(max, Duration.ofMinutes(2)), clock,
        new SecureRandom());
  }

  private static Challenge issued(ChallengeStore.Issue issue) {
    assertThat(issue).as("a challenge is issued").isInstanceOf(ChallengeStore.Issue.Issued.class);
    return ((ChallengeStore.Issue.Issued) issue).challenge();
  }

  @Test
  void aChallengeIs32RandomBytesOfBase64UrlWithTheIssueTime() {
    Challenge c = issued(store(10).issue());

    assertThat(c.nonce()).matches("[A-Za-z0-9_-]{43}");
    assertThat(Base64.getUrlDecoder().decode(c.nonce())).hasSize(32);
    assertThat(c.ts()).isEqualTo(clock.millis());
    assertThat(issued(store(10).issue()).nonce()).isNotEqualTo(c.nonce());
  }

  @Test
  void aNonceIsConsumedExactlyOnce() {
    InMemoryChallengeStore store = store(10);
    Challenge c = issued(store.issue());

    assertThat(store.consume(c.nonce())).isTrue();
    assertThat(store.consume(c.nonce())).as("second use").isFalse();
    assertThat(store.consume("never-issued")).isFalse();
  }

  @Test
  void aNonceExpiresAfterItsLifetime() {
    InMemoryChallengeStore store = store(10);
    Challenge kept = issued(store.issue());
    Challenge late = issued(store.issue());

    clock.advance(Duration.ofMinutes(2).minusMillis(1));
    assertThat(store.consume(kept.nonce())).isTrue();
    clock.advance(Duration.ofMillis(1));
    assertThat(store.consume(late.nonce())).as("at exactly its lifetime").isFalse();
  }

  @Test
  void theStoreIsBoundedAndRefusesRatherThanEvicting() {
    InMemoryChallengeStore store = store(3);
    Challenge first = issued(store.issue());
    issued(store.issue());
    clock.advance(Duration.ofSeconds(30));
    issued(store.issue());

    ChallengeStore.Issue refused = store.issue();

    assertThat(refused).isEqualTo(new ChallengeStore.Issue.Full(Duration.ofSeconds(90)));
    assertThat(store.outstanding()).isEqualTo(3);
    assertThat(store.consume(first.nonce())).as("held challenges stay valid").isTrue();
    issued(store.issue());
  }

  @Test
  void expiredChallengesFreeTheirPlaces() {
    InMemoryChallengeStore store = store(2);
    issued(store.issue());
    issued(store.issue());

    clock.advance(Duration.ofMinutes(2));

    issued(store.issue());
    assertThat(store.outstanding()).isEqualTo(1);
  }
}
