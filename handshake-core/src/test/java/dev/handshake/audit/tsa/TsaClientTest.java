package dev.handshake.audit.tsa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.audit.AgentChain;
import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.InMemoryAuditStore;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.json.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.bouncycastle.tsp.TimeStampRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link TsaClient} against a real local TSA (aiss.md §3 item 9): a granted token verifies, and
 * each way an answer can be wrong fails with its own reason.
 */
class TsaClientTest {
  private static TestPki pki;
  private static TestPki stranger;
  private static AuditEvent event;

  private LocalTsa tsa;

  @BeforeAll
  static void pkiAndEvent() {
    pki = TestPki.generate("Client");
    stranger = TestPki.generate("Stranger");
    AgentChain chain =
        AgentChain.open(
            Ed25519PrivateKey.generate(new SecureRandom()), new InMemoryAuditStore(),
            Clock.systemUTC());
    event = chain.append(Json.object().put("event_type", "order"));
  }

  @BeforeEach
  void startTsa() throws IOException {
    tsa = LocalTsa.start(pki);
  }

  @AfterEach
  void stopTsa() {
    tsa.close();
  }

  private TimestampVerification stamp(TsaConfig config, TsaTrust trust, Clock clock) {
    try (TsaClient client = TsaClient.create(config, trust, clock, new SecureRandom())) {
      return client.timestamp(event);
    }
  }

  private TimestampVerification stamp(TsaTrust trust) {
    return stamp(TsaConfig.of(tsa.url()), trust, Clock.systemUTC());
  }

  private TimestampVerification stampAs(LocalTsa.Behaviour behaviour) {
    tsa.behave(behaviour);
    return stamp(pki.trust());
  }

  private static void assertFails(TimestampVerification result, TsaFailure failure) {
    assertThat(result)
        .as("expected %s, got %s", failure, result)
        .isInstanceOfSatisfying(
            TimestampVerification.Failed.class, f -> assertThat(f.failure()).isEqualTo(failure));
  }

  @Test
  @DisplayName("item 9: a granted token verifies and carries the TSA's genTime, not the local clock")
  void item09_aGrantedTokenVerifiesAndCarriesTheTsaGenTime() throws Exception {
    Instant before = Instant.now();
    TsaTrust fromPem = TsaTrust.parse(pki.caPem());
    TimestampVerification result = stamp(fromPem);
    Instant after = Instant.now();

    assertThat(result).isInstanceOf(TimestampVerification.Verified.class);
    TrustedTimestamp t = ((TimestampVerification.Verified) result).timestamp();
    assertThat(t.eventHash()).isEqualTo(event.hash());
    // The test TSA stamps at one-second resolution.
    assertThat(t.genTime()).isBetween(before.minusSeconds(1), after);
    assertThat(t.tsa()).contains("CN=Client Test TSA");
    assertThat(t.source()).isEqualTo(tsa.url().toString());
    assertThat(TimestampVerifier.of(fromPem).verifyStored(t).verified())
        .as("the stored token re-verifies offline")
        .isTrue();
  }

  @Test
  void item09_theRequestCarriesTheEventHashARandomNonceAndCertReq() {
    stamp(pki.trust());
    TimeStampRequest first = tsa.lastRequest().orElseThrow();
    stamp(pki.trust());
    TimeStampRequest second = tsa.lastRequest().orElseThrow();
    assertThat(first.getMessageImprintDigest()).isEqualTo(EventImprint.ofEventHash(event.hash()));
    assertThat(first.getCertReq()).isTrue();
    assertThat(first.getNonce()).isNotNull().isNotEqualTo(second.getNonce());
  }

  @Test
  void item09_aTokenForAnotherDigestIsRefused() {
    assertFails(stampAs(LocalTsa.Behaviour.WRONG_IMPRINT), TsaFailure.IMPRINT_MISMATCH);
  }

  @Test
  void item09_aTokenWithoutTheRequestNonceIsRefused() {
    assertFails(stampAs(LocalTsa.Behaviour.NO_NONCE), TsaFailure.NONCE_MISSING);
  }

  @Test
  void item09_aTokenWithAnotherNonceIsRefused() {
    assertFails(stampAs(LocalTsa.Behaviour.OTHER_NONCE), TsaFailure.NONCE_MISMATCH);
  }

  @Test
  void item09_aTsaOutsideTheConfiguredRootsIsRefused() {
    assertFails(stamp(stranger.trust()), TsaFailure.UNTRUSTED_CHAIN);
    assertFails(stamp(TsaTrust.none()), TsaFailure.UNTRUSTED_CHAIN);
  }

  @Test
  void aPinnedTsaCertificateIsTrustedWithoutItsCa() {
    assertThat(stamp(TsaTrust.of(List.of(pki.tsa()))).verified()).isTrue();
  }

  @Test
  void item09_aCertificateWithoutTheTimeStampingUsageIsRefused() {
    assertFails(
        stampAs(LocalTsa.Behaviour.NO_EKU), TsaFailure.NOT_TIMESTAMPING_CERTIFICATE);
  }

  @Test
  void item09_aRejectionIsReportedWithTheTsaStatus() {
    TimestampVerification result = stampAs(LocalTsa.Behaviour.REJECT);
    assertFails(result, TsaFailure.NOT_GRANTED);
    assertThat(((TimestampVerification.Failed) result).detail())
        .contains("PKIStatus 2")
        .contains("test TSA refuses");
  }

  @Test
  void anOversizedAnswerIsCutOff() {
    assertFails(stampAs(LocalTsa.Behaviour.OVERSIZED), TsaFailure.OVERSIZED);
  }

  @Test
  void anHttpErrorIsReportedAsSuch() {
    assertFails(stampAs(LocalTsa.Behaviour.HTTP_ERROR), TsaFailure.HTTP_STATUS);
  }

  @Test
  void aTsaThatIsDownIsReportedUnreachable() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    TimestampVerification result =
        stamp(
            TsaConfig.of(URI.create("http://127.0.0.1:" + port + "/tsr")), pki.trust(),
            Clock.systemUTC());
    assertFails(result, TsaFailure.UNREACHABLE);
  }

  @Test
  void aTsaThatNeverAnswersTimesOutInsteadOfHanging() {
    tsa.behave(LocalTsa.Behaviour.HANG);
    TsaConfig config =
        TsaConfig.of(tsa.url()).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2));
    assertFails(stamp(config, pki.trust(), Clock.systemUTC()), TsaFailure.TIMEOUT);
  }

  @Test
  void item09_aGenTimeFarFromTheLocalClockIsRefused() {
    Clock lastYear = Clock.fixed(Instant.now().minus(Duration.ofDays(365)), ZoneOffset.UTC);
    assertFails(
        stamp(TsaConfig.of(tsa.url()), pki.trust(), lastYear), TsaFailure.GEN_TIME_OUT_OF_RANGE);
  }
}
