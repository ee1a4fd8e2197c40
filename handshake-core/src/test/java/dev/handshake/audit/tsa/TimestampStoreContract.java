package dev.handshake.audit.tsa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.crypto.Sha256;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TimestampStore} must do, with real tokens from a local TSA; extended once per
 * implementation (aiss.md §3 item 9: a sidecar keyed by event hash, re-verifiable offline).
 */
abstract class TimestampStoreContract {
  private static final String EVENT_A = Sha256.hex("event A");
  private static final String EVENT_B = Sha256.hex("event B");

  private static TestPki pki;
  private static TrustedTimestamp a1;
  private static TrustedTimestamp a2;
  private static TrustedTimestamp b1;

  protected TimestampStore store;

  protected abstract TimestampStore open() throws Exception;

  /** The same data seen through a fresh handle (durable stores) or the same store (memory). */
  protected abstract TimestampStore reopen() throws Exception;

  @BeforeAll
  static void tokens() throws Exception {
    pki = TestPki.generate("Store");
    try (LocalTsa tsa = LocalTsa.start(pki);
        TsaClient client =
            TsaClient.create(TsaConfig.of(tsa.url()), pki.trust(), Clock.systemUTC(), new SecureRandom())) {
      a1 = verified(client.timestamp(EVENT_A));
      a2 = verified(client.timestamp(EVENT_A));
      b1 = verified(client.timestamp(EVENT_B));
    }
  }

  @AfterAll
  static void forget() {
    a1 = a2 = b1 = null;
  }

  private static TrustedTimestamp verified(TimestampVerification v) {
    assertThat(v.verified()).as("local TSA answer: %s", v).isTrue();
    return ((TimestampVerification.Verified) v).timestamp();
  }

  @BeforeEach
  void setUp() throws Exception {
    store = open();
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  @Test
  void item09_aStoredTokenComesBackIdenticalAndReverifiesOffline() throws Exception {
    assertThat(store.add(a1)).isTrue();
    store = reopen();
    assertThat(store.forEvent(EVENT_A)).containsExactly(a1);
    TrustedTimestamp back = store.forEvent(EVENT_A).getFirst();
    assertThat(back.token()).isEqualTo(a1.token());
    assertThat(TimestampVerifier.of(pki.trust()).verifyStored(back))
        .isEqualTo(new TimestampVerification.Verified(a1));
  }

  @Test
  void theSameTokenTwiceIsStoredOnce() {
    assertThat(store.add(a1)).isTrue();
    assertThat(store.add(a1)).isFalse();
    assertThat(store.forEvent(EVENT_A)).hasSize(1);
  }

  @Test
  void anEventKeepsEveryTokenInTheOrderAddedAndEventsAreSeparate() throws Exception {
    store.add(a1);
    store.add(b1);
    store.add(a2);
    store = reopen();
    assertThat(store.forEvent(EVENT_A)).containsExactly(a1, a2);
    assertThat(store.forEvent(EVENT_B)).containsExactly(b1);
    assertThat(store.forEvent(Sha256.hex("nothing"))).isEmpty();
  }

  @Test
  void item09_aRecordThatDisagreesWithItsTokenFailsReverification() throws Exception {
    TrustedTimestamp laterTime =
        TrustedTimestamp.of(EVENT_A, a1.genTime().minus(Duration.ofDays(30)), a1.tsa(), a1.source(), a1.token());
    TrustedTimestamp otherEvent =
        TrustedTimestamp.of(EVENT_B, b1.genTime(), b1.tsa(), b1.source(), a1.token());
    store.add(laterTime);
    store.add(otherEvent);
    store = reopen();
    TimestampVerifier verifier = TimestampVerifier.of(pki.trust());
    assertThat(verifier.verifyStored(store.forEvent(EVENT_A).getFirst()))
        .extracting(v -> ((TimestampVerification.Failed) v).failure())
        .isEqualTo(TsaFailure.RECORD_MISMATCH);
    assertThat(verifier.verifyStored(store.forEvent(EVENT_B).getFirst()))
        .extracting(v -> ((TimestampVerification.Failed) v).failure())
        .isEqualTo(TsaFailure.IMPRINT_MISMATCH);
  }

  @Test
  void item09_aStoredTokenIsOnlyAsTrustedAsTheRootsItIsCheckedWith() {
    store.add(a1);
    TrustedTimestamp back = store.forEvent(EVENT_A).getFirst();
    assertThat(TimestampVerifier.of(TestPki.generate("Other").trust()).verifyStored(back))
        .extracting(v -> ((TimestampVerification.Failed) v).failure())
        .isEqualTo(TsaFailure.UNTRUSTED_CHAIN);
  }
}
