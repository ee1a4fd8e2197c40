package dev.handshake.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.delegation.ReplayStore.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ReplayStore} must do (trusthandoff.md §3 item 6); extended once per
 * implementation.
 */
abstract class ReplayStoreContract {
  static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
  static final Instant KEEP = T0.plus(Duration.ofMinutes(10));
  static final String A = "agent:s9ofOtK/95K54fMu";
  static final String B = "agent:IvdnMc5sjkwg9iHP";
  static final int THREADS = 8;

  protected ReplayStore store;

  /** A fresh, empty store holding at most {@code maxEntries} unexpired pairs. */
  protected abstract ReplayStore open(int maxEntries) throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    store = open(1_000);
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  @Test
  @DisplayName("§4 item 19: the first sighting of a pair is FIRST, the second a replay")
  void item19_theSecondSightingOfAPairIsAReplay() {
    assertThat(store.checkAndRecord(A, "nonce_1", KEEP, T0)).isEqualTo(Outcome.FIRST);
    assertThat(store.checkAndRecord(A, "nonce_1", KEEP, T0.plusSeconds(1)))
        .as("same signer and nonce again, before the retention ends")
        .isEqualTo(Outcome.REPLAY);
    assertThat(store.checkAndRecord(A, "nonce_2", KEEP, T0)).isEqualTo(Outcome.FIRST);
  }

  @Test
  @DisplayName("§3 item 6: a pair is a replay until its retention ends, then reusable")
  void item6_aPairIsReusableOnceItsRetentionHasEnded() {
    store.checkAndRecord(A, "n", KEEP, T0);
    assertThat(store.checkAndRecord(A, "n", KEEP, KEEP.minusMillis(1)))
        .as("one millisecond before the retention ends")
        .isEqualTo(Outcome.REPLAY);
    Instant later = KEEP.plus(Duration.ofMinutes(10));
    assertThat(store.checkAndRecord(A, "n", later, KEEP))
        .as("at the retention instant the pair counts as absent")
        .isEqualTo(Outcome.FIRST);
    assertThat(store.checkAndRecord(A, "n", later, KEEP.plusSeconds(1)))
        .as("re-recorded with the new retention")
        .isEqualTo(Outcome.REPLAY);
  }

  @Test
  @DisplayName("§3 item 6: pairs are scoped per signer")
  void item6_theSameNonceFromTwoSignersIsTwoFirstSightings() {
    assertThat(store.checkAndRecord(A, "nonce_shared", KEEP, T0)).isEqualTo(Outcome.FIRST);
    assertThat(store.checkAndRecord(B, "nonce_shared", KEEP, T0)).isEqualTo(Outcome.FIRST);
    assertThat(store.checkAndRecord(A, "nonce_shared", KEEP, T0)).isEqualTo(Outcome.REPLAY);
    assertThat(store.checkAndRecord(B, "nonce_shared", KEEP, T0)).isEqualTo(Outcome.REPLAY);
  }

  @Test
  @DisplayName("§3 item 6: signers and nonces are compared exactly, character for character")
  void item6_keysAreComparedExactly() {
    // HandoffReceiver's reference profile keys pairs by "" and by "\u0000guard:" + agent id.
    List<String> signers = List.of("", "\u0000guard:" + A, "\u0000guard:" + B, A, A.toUpperCase());
    for (String signer : signers) {
      assertThat(store.checkAndRecord(signer, "nonce_é\u0000", KEEP, T0))
          .as("signer %s", signer.replace("\u0000", "\\0"))
          .isEqualTo(Outcome.FIRST);
    }
    assertThat(store.checkAndRecord("\u0000guard:" + B, "nonce_é\u0000", KEEP, T0))
        .isEqualTo(Outcome.REPLAY);
    assertThat(store.checkAndRecord(A, "nonce_é", KEEP, T0))
        .as("nonce without its trailing NUL is another nonce")
        .isEqualTo(Outcome.FIRST);
    assertThat(store.checkAndRecord(A, "nonce_e\u0000", KEEP, T0)).isEqualTo(Outcome.FIRST);
    assertThat(store.size(T0)).isEqualTo(signers.size() + 2L);
  }

  @Test
  @DisplayName("§3 item 6: size counts only unexpired pairs")
  void item6_sizeCountsOnlyUnexpiredPairs() {
    assertThat(store.size(T0)).isZero();
    store.checkAndRecord(A, "short", T0.plusSeconds(60), T0);
    store.checkAndRecord(A, "long", KEEP, T0);
    store.checkAndRecord(B, "long", KEEP, T0);
    store.checkAndRecord(B, "long", KEEP, T0); // a replay adds nothing
    assertThat(store.size(T0)).isEqualTo(3);
    assertThat(store.size(T0.plusSeconds(60))).isEqualTo(2);
    assertThat(store.size(KEEP)).isZero();
  }

  @Test
  @DisplayName("§3 item 6: at the bound a new pair is FULL and nothing is recorded or evicted")
  void item6_atTheBoundANewPairIsRefusedWithoutEvictingALiveOne() throws Exception {
    store.close();
    store = open(3);
    for (String n : List.of("n1", "n2", "n3")) {
      assertThat(store.checkAndRecord(A, n, KEEP, T0)).isEqualTo(Outcome.FIRST);
    }
    assertThat(store.checkAndRecord(A, "n4", KEEP, T0)).isEqualTo(Outcome.FULL);
    assertThat(store.checkAndRecord(B, "n1", KEEP, T0)).isEqualTo(Outcome.FULL);
    assertThat(store.size(T0)).isEqualTo(3);
    for (String n : List.of("n1", "n2", "n3")) {
      assertThat(store.checkAndRecord(A, n, KEEP, T0))
          .as("%s is still remembered at the bound", n)
          .isEqualTo(Outcome.REPLAY);
    }
  }

  @Test
  @DisplayName("§3 item 6: a full store accepts new pairs again once old ones expire")
  void item6_aFullStoreRecoversWhenPairsExpire() throws Exception {
    store.close();
    store = open(2);
    Instant soon = T0.plusSeconds(30);
    store.checkAndRecord(A, "early", soon, T0);
    store.checkAndRecord(A, "late", KEEP, T0);
    assertThat(store.checkAndRecord(A, "refused", KEEP, T0)).isEqualTo(Outcome.FULL);
    assertThat(store.checkAndRecord(A, "refused", KEEP, soon))
        .as("the refused pair was not recorded, and 'early' has expired")
        .isEqualTo(Outcome.FIRST);
    assertThat(store.checkAndRecord(A, "another", KEEP, soon)).isEqualTo(Outcome.FULL);
    assertThat(store.checkAndRecord(A, "refused", KEEP, soon)).isEqualTo(Outcome.REPLAY);
    assertThat(store.size(soon)).isEqualTo(2);
  }

  @Test
  @DisplayName("§3 item 6: a pair re-recorded after expiry does not grow the store past its bound")
  void item6_reusingAnExpiredPairAtTheBoundIsAllowed() throws Exception {
    store.close();
    store = open(1);
    Instant soon = T0.plusSeconds(30);
    store.checkAndRecord(A, "n", soon, T0);
    assertThat(store.checkAndRecord(A, "n", KEEP, soon)).isEqualTo(Outcome.FIRST);
    assertThat(store.checkAndRecord(A, "other", KEEP, soon)).isEqualTo(Outcome.FULL);
    assertThat(store.size(soon)).isEqualTo(1);
  }

  @Test
  @DisplayName("§3 item 6: of eight threads racing one pair exactly one sees FIRST")
  void item6_racingThreadsOnOnePairGetExactlyOneFirst() throws Exception {
    for (int round = 0; round < 25; round++) {
      String nonce = "race_" + round;
      List<Outcome> outcomes = race(THREADS, i -> store.checkAndRecord(A, nonce, KEEP, T0));
      assertThat(outcomes)
          .as("round %d", round)
          .containsOnlyOnce(Outcome.FIRST)
          .hasSize(THREADS)
          .doesNotContain(Outcome.FULL);
    }
  }

  @Test
  @DisplayName("§3 item 6: concurrent distinct pairs are all FIRST")
  void item6_concurrentDistinctPairsAreAllFirst() throws Exception {
    int perThread = 100;
    List<List<Outcome>> results =
        race(
            THREADS,
            t -> {
              List<Outcome> mine = new ArrayList<>();
              for (int i = 0; i < perThread; i++) {
                mine.add(store.checkAndRecord("agent:t" + t, "nonce_" + i, KEEP, T0));
              }
              return mine;
            });
    assertThat(results.stream().flatMap(List::stream)).containsOnly(Outcome.FIRST);
    assertThat(store.size(T0)).isEqualTo((long) THREADS * perThread);
  }

  @Test
  void closingTwiceIsHarmless() {
    store.close();
    store.close();
  }

  /** One task per thread, all released together; their results in thread order. */
  static <T> List<T> race(int threads, IndexedTask<T> task) throws Exception {
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int index = i;
        Callable<T> call =
            () -> {
              ready.countDown();
              go.await();
              return task.run(index);
            };
        futures.add(pool.submit(call));
      }
      ready.await();
      go.countDown();
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get());
      }
      return out;
    }
  }

  @FunctionalInterface
  interface IndexedTask<T> {
    T run(int index) throws Exception;
  }
}
