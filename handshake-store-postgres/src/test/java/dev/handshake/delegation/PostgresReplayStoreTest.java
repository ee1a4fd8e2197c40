package dev.handshake.delegation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.delegation.ReplayStore.Outcome;
import dev.handshake.store.postgres.PostgresDatabase;
import dev.handshake.store.postgres.PostgresReplayStore;
import dev.handshake.store.postgres.PostgresReplayStore.Options;
import dev.handshake.store.postgres.PostgresServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The replay store contract on PostgreSQL, plus what two nodes on one database must agree on. */
class PostgresReplayStoreTest extends ReplayStoreContract {
  @RegisterExtension static final PostgresServer SERVER = new PostgresServer();

  @Override
  protected ReplayStore open(int maxEntries) {
    SERVER.truncate("delegation_replay");
    return PostgresReplayStore.open(SERVER.db(), Options.DEFAULTS.withMaxEntries(maxEntries));
  }

  private ReplayStore secondNode(long maxEntries) {
    PostgresDatabase other = SERVER.secondNode();
    return PostgresReplayStore.open(other, Options.DEFAULTS.withMaxEntries(maxEntries));
  }

  @Test
  @DisplayName("§3 item 6: a packet recorded on one node is a replay on the other")
  void item6_aPairRecordedOnOneNodeIsAReplayOnTheOther() {
    ReplayStore second = secondNode(1_000);
    assertThat(store.checkAndRecord(A, "n1", KEEP, T0)).isEqualTo(Outcome.FIRST);
    assertThat(second.checkAndRecord(A, "n1", KEEP, T0)).isEqualTo(Outcome.REPLAY);
    assertThat(second.checkAndRecord(A, "n2", KEEP, T0)).isEqualTo(Outcome.FIRST);
    assertThat(store.checkAndRecord(A, "n2", KEEP, T0)).isEqualTo(Outcome.REPLAY);
    assertThat(second.size(T0)).isEqualTo(2);
  }

  @Test
  @DisplayName("§3 item 6: threads racing one pair through two nodes get exactly one FIRST")
  void item6_racingThroughTwoNodesGivesExactlyOneFirst() throws Exception {
    ReplayStore second = secondNode(1_000);
    for (int round = 0; round < 25; round++) {
      String nonce = "race_" + round;
      List<Outcome> outcomes =
          race(THREADS, i -> (i % 2 == 0 ? store : second).checkAndRecord(A, nonce, KEEP, T0));
      assertThat(outcomes).as("round %d", round).containsOnlyOnce(Outcome.FIRST);
    }
  }

  @Test
  @DisplayName("§3 item 6: two nodes recording the same nonces in order: one FIRST per nonce")
  void item6_twoNodesRecordingTheSameNoncesAgreeOnEach() throws Exception {
    int nonces = 300;
    ReplayStore second = secondNode(1_000);
    List<List<Outcome>> byThread =
        race(
            2,
            t -> {
              ReplayStore mine = t == 0 ? store : second;
              List<Outcome> out = new ArrayList<>();
              for (int i = 0; i < nonces; i++) {
                out.add(mine.checkAndRecord(A, "nonce_" + i, KEEP, T0));
              }
              return out;
            });
    Map<Integer, Integer> firsts = new HashMap<>();
    for (List<Outcome> outcomes : byThread) {
      for (int i = 0; i < nonces; i++) {
        if (outcomes.get(i) == Outcome.FIRST) {
          firsts.merge(i, 1, Integer::sum);
        }
      }
    }
    assertThat(firsts).hasSize(nonces);
    assertThat(firsts.values()).as("FIRST count per nonce").containsOnly(1);
  }

  @Test
  @DisplayName("§3 item 6: the bound counts the pairs of every node, exactly, under a race")
  void item6_theBoundIsSharedByTwoNodesAndHoldsUnderARace() throws Exception {
    store.close();
    store = open(10);
    ReplayStore second = secondNode(10);
    List<Outcome> outcomes =
        race(
            THREADS,
            i -> {
              ReplayStore mine = i % 2 == 0 ? store : second;
              Outcome last = null;
              for (int n = 0; n < 5; n++) {
                last = mine.checkAndRecord(A, "t" + i + "_" + n, KEEP, T0);
              }
              return last;
            });
    assertThat(outcomes).contains(Outcome.FULL);
    assertThat(store.size(T0)).as("8 threads × 5 new pairs, bound 10").isEqualTo(10);
    assertThat(((PostgresReplayStore) store).storedRows()).isEqualTo(10);
  }

  @Test
  @DisplayName("§3 item 6: recorded pairs survive a new pool (a restarted node)")
  void item6_recordedPairsSurviveANewPool() {
    store.checkAndRecord(A, "n1", KEEP, T0);
    store.checkAndRecord(B, "n1", T0.plusSeconds(60), T0);
    ReplayStore restarted = secondNode(1_000);
    assertThat(restarted.checkAndRecord(A, "n1", KEEP, T0.plusSeconds(1)))
        .isEqualTo(Outcome.REPLAY);
    assertThat(restarted.checkAndRecord(B, "n1", KEEP, T0.plusSeconds(60)))
        .as("expired in the meantime")
        .isEqualTo(Outcome.FIRST);
  }

  @Test
  @DisplayName("§3 item 6: expired rows are deleted every purgeInterval calls, a bounded batch")
  void item6_expiredRowsArePurgedPeriodicallyInBoundedBatches() {
    store.close();
    SERVER.truncate("delegation_replay");
    PostgresReplayStore pg =
        PostgresReplayStore.open(SERVER.db(), Options.DEFAULTS.withPurgeInterval(2));
    store = pg;
    pg.checkAndRecord(A, "x", KEEP, T0); // call 1
    for (int i = 0; i < 10; i++) {
      pg.checkAndRecord(A, "old_" + i, T0.plusSeconds(1 + i), T0); // calls 2..11, purging none
    }
    assertThat(pg.storedRows()).isEqualTo(11);
    Instant later = T0.plusSeconds(60);
    pg.checkAndRecord(A, "new_0", KEEP, later); // call 12: purge of at most 8
    assertThat(pg.storedRows()).as("eight expired rows deleted, one added").isEqualTo(4);
    assertThat(pg.size(later)).isEqualTo(2);
  }

  @Test
  void aClosedStoreRefusesToAnswer() {
    store.close();
    assertThatThrownBy(() -> store.checkAndRecord(A, "n", KEEP, T0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
