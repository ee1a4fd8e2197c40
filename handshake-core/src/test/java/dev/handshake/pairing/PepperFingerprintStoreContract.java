package dev.handshake.pairing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link PepperFingerprintStore} must do (issue 7: nodes sharing pairing share the
 * pepper): the first claim is kept, never replaced, and nodes racing on an empty store agree on one
 * winner. Extended once per implementation.
 */
abstract class PepperFingerprintStoreContract {
  static final PepperFingerprint FIRST = fingerprint(1);
  static final PepperFingerprint OTHER = fingerprint(2);
  static final int THREADS = 8;

  PepperFingerprintStore store;

  /** A store holding no fingerprint yet. */
  protected abstract PepperFingerprintStore open() throws Exception;

  /**
   * The same stored state as {@link #store} reached as another node would (another connection or
   * pool); the default is {@link #store} itself.
   */
  protected PepperFingerprintStore otherNode() throws Exception {
    return store;
  }

  static PepperFingerprint fingerprint(int seed) {
    byte[] raw = new byte[Pepper.SIZE];
    raw[0] = (byte) seed;
    return PepperFingerprint.of(Pepper.of(raw));
  }

  @BeforeEach
  void setUp() throws Exception {
    store = open();
  }

  @Test
  void theFirstClaimIsStoredAndAnswered() {
    assertThat(store.claim(FIRST)).isEqualTo(FIRST);
    assertThat(store.claim(FIRST)).as("claiming the same again").isEqualTo(FIRST);
  }

  @Test
  void aLaterClaimWithAnotherFingerprintAnswersTheFirstAndDoesNotReplaceIt() {
    store.claim(FIRST);

    assertThat(store.claim(OTHER)).as("the first node's fingerprint").isEqualTo(FIRST);
    assertThat(store.claim(FIRST)).as("still the first").isEqualTo(FIRST);
  }

  @Test
  void anotherNodeIsAnsweredTheFirstNodesFingerprint() throws Exception {
    store.claim(FIRST);

    assertThat(otherNode().claim(OTHER)).isEqualTo(FIRST);
  }

  @Test
  void nodesRacingOnAnEmptyStoreAllAgreeOnOneOfTheirFingerprints() throws Exception {
    PepperFingerprintStore second = otherNode();
    List<PepperFingerprint> claimed = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      claimed.add(fingerprint(10 + t));
    }
    CountDownLatch go = new CountDownLatch(1);
    List<Future<PepperFingerprint>> answers = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
      for (int t = 0; t < THREADS; t++) {
        PepperFingerprintStore node = t % 2 == 0 ? store : second;
        PepperFingerprint mine = claimed.get(t);
        answers.add(pool.submit(() -> {
          go.await();
          return node.claim(mine);
        }));
      }
      go.countDown();
      Set<PepperFingerprint> distinct = new HashSet<>();
      for (Future<PepperFingerprint> f : answers) {
        distinct.add(f.get());
      }
      assertThat(distinct).as("every node is answered the same winner").hasSize(1);
      assertThat(claimed).contains(distinct.iterator().next());
      assertThat(store.claim(OTHER)).isEqualTo(distinct.iterator().next());
    }
  }
}
