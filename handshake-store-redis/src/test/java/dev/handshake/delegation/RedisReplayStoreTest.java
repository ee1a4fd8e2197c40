package dev.handshake.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.delegation.ReplayStore.Outcome;
import dev.handshake.store.redis.RedisServer;
import dev.handshake.store.redis.RedisReplayStore;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The replay contract on a real Redis, plus a replay memory shared by two nodes. */
class RedisReplayStoreTest extends ReplayStoreContract {
  @RegisterExtension static final RedisServer REDIS = new RedisServer();

  @Override
  protected ReplayStore open(int maxEntries) {
    REDIS.redis().flushAll();
    return RedisReplayStore.create(REDIS.nodeA(), RedisReplayStore.DEFAULT_NAME, maxEntries);
  }

  @Test
  void aPairAcceptedOnOneNodeIsAReplayOnTheOther() {
    ReplayStore onB = RedisReplayStore.create(REDIS.nodeB(), RedisReplayStore.DEFAULT_NAME, 1_000);

    assertThat(store.checkAndRecord(A, "nonce_x", KEEP, T0)).isEqualTo(Outcome.FIRST);

    assertThat(onB.checkAndRecord(A, "nonce_x", KEEP, T0.plusSeconds(1))).isEqualTo(Outcome.REPLAY);
  }

  @Test
  void ofTwoNodesRacingOnePairExactlyOneSeesFirst() throws Exception {
    ReplayStore onB = RedisReplayStore.create(REDIS.nodeB(), RedisReplayStore.DEFAULT_NAME, 1_000);
    for (int round = 0; round < 10; round++) {
      String nonce = "race_" + round;
      List<Outcome> outcomes =
          race(THREADS, i -> (i % 2 == 0 ? store : onB).checkAndRecord(A, nonce, KEEP, T0));
      assertThat(outcomes).as("round %d", round).containsOnlyOnce(Outcome.FIRST);
    }
  }

  @Test
  void storesWithDifferentNamesDoNotShareMemory() {
    ReplayStore other = RedisReplayStore.create(REDIS.nodeA(), "attestations", 1_000);
    store.checkAndRecord(A, "n", KEEP, T0);

    assertThat(other.checkAndRecord(A, "n", KEEP, T0)).isEqualTo(Outcome.FIRST);
  }

  @Test
  void unpairedSurrogatesStayDistinct() {
    assertThat(store.checkAndRecord(A, "n\uD800", KEEP, T0)).isEqualTo(Outcome.FIRST);
    assertThat(store.checkAndRecord(A, "n\uDC00", KEEP, T0)).isEqualTo(Outcome.FIRST);
    assertThat(store.checkAndRecord(A, "n?", KEEP, T0)).isEqualTo(Outcome.FIRST);
    assertThat(store.checkAndRecord(A + "n", "", KEEP, T0))
        .as("the signer/nonce boundary is part of the pair")
        .isEqualTo(Outcome.FIRST);
    assertThat(store.checkAndRecord(A, "n", KEEP, T0)).isEqualTo(Outcome.FIRST);
  }
}
