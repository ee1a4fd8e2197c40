package dev.handshake.audit.tsa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.ChainReport;
import dev.handshake.audit.ChainVerifier;
import dev.handshake.audit.EventStamper;
import dev.handshake.audit.GenesisForm;
import dev.handshake.audit.SignatureEncoding;
import dev.handshake.audit.VerifyOptions;
import dev.handshake.crypto.Base64Text;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Sha256;
import dev.handshake.identity.AgentIds;
import dev.handshake.identity.IdentityDocument;
import dev.handshake.json.Json;
import dev.handshake.json.PythonJson;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tokens embedded in reference events (aiss.md §2.7 "RFC 3161", §3 item 9): {@code "base64:"} + a
 * whole TimeStampResp over SHA-256 of the canonical full event (signature included), added after
 * signing. We verify them fully when the bytes are there; the reference only looked at byte 0.
 */
class ReferenceTimestampTest {
  private static final Ed25519PrivateKey KEY = Ed25519PrivateKey.generate(new SecureRandom());
  private static final String AGENT = AgentIds.aiss(KEY.publicKey());

  private static TestPki pki;
  private static LocalTsa tsa;

  @BeforeAll
  static void start() throws Exception {
    pki = TestPki.generate("Reference");
    tsa = LocalTsa.start(pki);
  }

  @AfterAll
  static void stop() {
    tsa.close();
  }

  private static AuditEvent signed() {
    return EventStamper.stamp(
        KEY, AGENT, Json.object().put("event_type", "trade"), GenesisForm.genesisHash(KEY.publicKey()),
        1767225600, "00000000-0000-4000-8000-000000000001", SignatureEncoding.BASE64);
  }

  /** A TimeStampResp for {@code digest}, requested as the reference does (certReq, no nonce). */
  private static byte[] referenceResponse(byte[] digest) throws Exception {
    TimeStampRequestGenerator g = new TimeStampRequestGenerator();
    g.setCertReq(true);
    return tsa.respond(g.generate(TSPAlgorithms.SHA256, digest)).getEncoded();
  }

  /** The event with the reference's {@code trusted_timestamp} added after signing. */
  private static AuditEvent annotated(AuditEvent event, byte[] response) {
    byte[] canonical = PythonJson.canonicalize(event.json());
    ObjectNode json = event.json();
    json.putObject("trusted_timestamp")
        .put("authority", "freetsa.org")
        .put("url", "https://freetsa.org/tsr")
        .put("timestamp", 1767225601)
        .put("token", "base64:" + Base64Text.encode(response))
        .put("hash_algorithm", "sha256")
        .put("data_hash", Sha256.hex(canonical))
        .put("status", "granted")
        .put("token_size_bytes", response.length);
    return AuditEvent.of(json);
  }

  @Test
  void item09_aReferenceTokenOverTheFullSignedEventVerifiesFully() throws Exception {
    AuditEvent event = signed();
    byte[] imprint = Sha256.digest(PythonJson.canonicalize(event.json()));
    AuditEvent stamped = annotated(event, referenceResponse(imprint));

    Optional<TimestampVerification> result = TimestampVerifier.of(pki.trust()).verifyReference(stamped);

    assertThat(result).get().isInstanceOf(TimestampVerification.Verified.class);
    TrustedTimestamp t = ((TimestampVerification.Verified) result.get()).timestamp();
    assertThat(t.genTime().getEpochSecond())
        .as("genTime from the token, not the reference's local-clock timestamp")
        .isNotEqualTo(1767225601L);
    assertThat(t.source()).isEqualTo("reference:https://freetsa.org/tsr");
  }

  @Test
  void item09_theChainVerifierStillReadsTheFieldAsAnUnsignedAnnotation() throws Exception {
    AuditEvent event = signed();
    AuditEvent stamped =
        annotated(event, referenceResponse(Sha256.digest(PythonJson.canonicalize(event.json()))));
    ChainReport report =
        new ChainVerifier(VerifyOptions.foreign())
            .verify(List.of(stamped), IdentityDocument.of(KEY.publicKey(), 1767225600, Optional.empty()),
                Optional.empty());
    assertThat(report.signaturesValid()).isTrue();
    assertThat(report.events().getFirst().notes()).anyMatch(n -> n.contains("unsigned annotation"));
  }

  @Test
  void item09_aReferenceTokenFromAnUntrustedTsaIsReportedSo() throws Exception {
    AuditEvent event = signed();
    AuditEvent stamped =
        annotated(event, referenceResponse(Sha256.digest(PythonJson.canonicalize(event.json()))));
    assertThat(TimestampVerifier.of(TestPki.generate("Elsewhere").trust()).verifyReference(stamped))
        .get()
        .extracting(v -> ((TimestampVerification.Failed) v).failure())
        .isEqualTo(TsaFailure.UNTRUSTED_CHAIN);
  }

  @Test
  void item09_aReferenceTokenDoesNotCoverAnEventEditedAfterStamping() throws Exception {
    AuditEvent event = signed();
    AuditEvent stamped =
        annotated(event, referenceResponse(Sha256.digest(PythonJson.canonicalize(event.json()))));
    ObjectNode edited = stamped.json();
    ((ObjectNode) edited.path("payload")).put("qty", 1000);
    assertThat(TimestampVerifier.of(pki.trust()).verifyReference(AuditEvent.of(edited)))
        .get()
        .extracting(v -> ((TimestampVerification.Failed) v).failure())
        .isEqualTo(TsaFailure.IMPRINT_MISMATCH);
  }

  @Test
  void item09_anAiss2TokenOverTheEventWithItsSignedPlaceholderVerifies() throws Exception {
    ObjectNode json = signed().json();
    json.put("version", "AISS-2.0");
    json.remove("signature");
    json.putObject("trusted_timestamp")
        .put("status", "pending").putNull("rfc3161_token").putNull("tsa_id").putNull("timestamp");
    json.putObject("signatures").putObject("classical").put("algorithm", "Ed25519").put("signature", "x");
    byte[] imprint = Sha256.digest(PythonJson.canonicalize(json));
    byte[] response = referenceResponse(imprint);
    json.putObject("trusted_timestamp")
        .put("status", "granted")
        .put("rfc3161_token", "base64:" + Base64Text.encode(response))
        .put("tsa_id", "freetsa.org")
        .put("timestamp", 1767225601);
    assertThat(TimestampVerifier.of(pki.trust()).verifyReference(AuditEvent.of(json)))
        .get()
        .matches(TimestampVerification::verified, "verified");
  }

  @Test
  void aPendingTimestampHasNoTokenAndAnEventWithoutTheFieldHasNothingToCheck() {
    AuditEvent event = signed();
    ObjectNode json = event.json();
    json.putObject("trusted_timestamp").put("status", "pending").put("local_fallback_at", 1767225601);
    TimestampVerifier verifier = TimestampVerifier.of(pki.trust());
    assertThat(verifier.verifyReference(AuditEvent.of(json)))
        .get()
        .extracting(v -> ((TimestampVerification.Failed) v).failure())
        .isEqualTo(TsaFailure.NO_TOKEN);
    assertThat(verifier.verifyReference(event)).isEmpty();
  }

  @Test
  void ourImprintRuleIsTheEventHashAndNotTheReferenceOne() {
    AuditEvent event = signed();
    assertThat(HexFormat.of().formatHex(EventImprint.ofEventHash(event.hash()))).isEqualTo(event.hash());
    assertThat(EventImprint.ofEventHash(event.hash()))
        .isEqualTo(Sha256.digest(event.signingInput()))
        .isNotEqualTo(EventImprint.referenceWithoutTimestamp(event));
  }
}
