package dev.handshake.pairing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.store.InMemoryRateLimiter;
import dev.handshake.store.RateLimiter;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The approval-attempt limit (pairing.md §4 item 6) counted in a limiter the stores are given
 * ({@link PairingStores#over(PairingTables, PairingConfig, Pepper, Clock, RateLimiter)}): two
 * stores on one set of tables and one limiter are two nodes sharing Redis, and their attempts add
 * up to the one limit; without a shared limiter each counts its own.
 */
class SharedApprovalLimitTest {
  static final Pepper PEPPER = Pepper.of(new byte[Pepper.SIZE]);
  static final Approver OPERATOR = Approver.named("http:op");

  final PairingTestClock clock = new PairingTestClock(Instant.parse("2026-11-21T12:00:00Z"));
  final InMemoryPairingTables tables = new InMemoryPairingTables(PairingStores.MEMORY_EVENTS);
  final PairingConfig config = PairingConfig.defaults();

  PairingCode wrongCodeFor(PairingStore store) {
    RequestOutcome.Created ann = (RequestOutcome.Created)
        store.request(Requester.of("telegram", "111"), Map.of(), Optional.empty());
    PairingCode wrong;
    do {
      wrong = PairingCode.generate(new SecureRandom(), config.alphabet());
    } while (wrong.reveal().equals(ann.code().reveal()));
    return wrong;
  }

  @Test
  void attemptsOnTwoStoresSharingALimiterAddUpToTheOneLimit() {
    RateLimiter shared = new InMemoryRateLimiter(clock);
    PairingStore nodeA = PairingStores.over(tables, config, PEPPER, clock, shared);
    PairingStore nodeB = PairingStores.over(tables, config, PEPPER, clock, shared);
    PairingCode wrong = wrongCodeFor(nodeA);

    for (int i = 0; i < config.attemptsPerWindow(); i++) {
      PairingStore node = i % 2 == 0 ? nodeA : nodeB;
      assertThat(node.approve(ApprovalTarget.code(wrong), OPERATOR))
          .as("attempt %d", i + 1)
          .isInstanceOfSatisfying(Resolution.Failed.class,
              f -> assertThat(f.failure()).isNotEqualTo(Resolution.Failure.RATE_LIMITED));
    }

    for (PairingStore node : new PairingStore[] {nodeA, nodeB}) {
      assertThat(node.approve(ApprovalTarget.code(wrong), OPERATOR))
          .isInstanceOfSatisfying(Resolution.Failed.class,
              f -> assertThat(f.failure()).isEqualTo(Resolution.Failure.RATE_LIMITED));
    }
  }

  @Test
  void withoutASharedLimiterEachStoreCountsOnlyItsOwnAttempts() {
    PairingStore nodeA = PairingStores.over(tables, config, PEPPER, clock);
    PairingStore nodeB = PairingStores.over(tables, config, PEPPER, clock);
    PairingCode wrong = wrongCodeFor(nodeA);

    for (int i = 0; i < config.attemptsPerWindow(); i++) {
      (i % 2 == 0 ? nodeA : nodeB).approve(ApprovalTarget.code(wrong), OPERATOR);
    }

    assertThat(nodeA.approve(ApprovalTarget.code(wrong), OPERATOR))
        .as("node A has seen only half the limit")
        .isInstanceOfSatisfying(Resolution.Failed.class,
            f -> assertThat(f.failure()).isEqualTo(Resolution.Failure.NOT_FOUND));
  }
}
