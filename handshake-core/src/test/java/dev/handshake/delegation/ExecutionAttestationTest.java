package dev.handshake.delegation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.json.CanonicalJson;
import dev.handshake.json.Json;
import dev.handshake.json.PythonJson;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** trusthandoff.md §4 item 17 (and §2.12): signed execution attestations. */
class ExecutionAttestationTest {
  private static final Instant NOW = Instant.parse("2026-03-22T12:00:00Z");
  private static final Duration MAX_AGE = AttestationVerifier.DEFAULT_MAX_AGE;
  private static final AttestationSigner SIGNER =
      AttestationSigner.create(
          HandoffVectors.agentId("A"),
          HandoffVectors.key("A"),
          Clock.fixed(NOW, ZoneOffset.UTC),
          new SecureRandom());

  private static ObjectNode json(String text) {
    return (ObjectNode) CanonicalJson.parse(text);
  }

  private static ExecutionAttestation attest(String result) {
    return SIGNER.attest("p1", json(result), ExecutionAttestation.Status.OK, Optional.empty());
  }

  private static AttestationCheck verify(ExecutionAttestation att, String result, Instant now) {
    return AttestationVerifier.verify(
        att, HandoffVectors.pem("A"), json(result), Optional.empty(), MAX_AGE, now);
  }

  private static String reasonOf(AttestationCheck check) {
    return check instanceof AttestationCheck.Invalid(String reason) ? reason : "valid";
  }

  @Test
  @DisplayName("item 17: an honest attestation verifies for its result and key")
  void item17_honestRoundTripVerifies() {
    ExecutionAttestation att = attest("{\"ok\":true}");

    AttestationCheck check = verify(att, "{\"ok\":true}", NOW);

    assertThat(check).isEqualTo(new AttestationCheck.Valid(att));
    assertThat(att.timestampMs()).isEqualTo(NOW.toEpochMilli());
    assertThat(att.signedBy()).isEqualTo(HandoffVectors.agentId("A"));
    assertThat(att.signature()).hasSize(86).doesNotContain("=", "+", "/");
  }

  @Test
  @DisplayName("item 17: a different result fails with outcome_mismatch")
  void item17_wrongResultFails() {
    ExecutionAttestation att = attest("{\"a\":1}");

    assertThat(reasonOf(verify(att, "{\"a\":2}", NOW)))
        .isEqualTo(AttestationCheck.OUTCOME_MISMATCH);
  }

  @Test
  @DisplayName("item 17: another agent's key fails with fingerprint_mismatch")
  void item17_wrongKeyFails() {
    ExecutionAttestation att = attest("{\"x\":1}");

    AttestationCheck check =
        AttestationVerifier.verify(
            att, HandoffVectors.pem("B"), json("{\"x\":1}"), Optional.empty(), MAX_AGE, NOW);

    assertThat(reasonOf(check)).isEqualTo(AttestationCheck.FINGERPRINT_MISMATCH);
  }

  @Test
  @DisplayName("item 17: checked 600 s later with a 300 s maximum age it is stale")
  void item17_staleAttestationFails() {
    ExecutionAttestation att = attest("{\"x\":1}");

    assertThat(reasonOf(verify(att, "{\"x\":1}", NOW.plusSeconds(600))))
        .isEqualTo(AttestationCheck.STALE);
  }

  @Test
  @DisplayName("item 17: checked 60 s before its timestamp it is in the future")
  void item17_futureAttestationFails() {
    ExecutionAttestation att = attest("{\"x\":1}");

    assertThat(reasonOf(verify(att, "{\"x\":1}", NOW.minusSeconds(60))))
        .isEqualTo(AttestationCheck.TIMESTAMP_IN_FUTURE);
  }

  @Test
  @DisplayName("item 17: the freshness window is now - max age .. now + 30 s, both ends included")
  void item17_freshnessWindowBoundsAreInclusive() {
    ExecutionAttestation att = attest("{\"x\":1}");

    assertThat(verify(att, "{\"x\":1}", NOW.plus(MAX_AGE)).valid()).isTrue();
    assertThat(reasonOf(verify(att, "{\"x\":1}", NOW.plus(MAX_AGE).plusMillis(1))))
        .isEqualTo(AttestationCheck.STALE);
    assertThat(verify(att, "{\"x\":1}", NOW.minusSeconds(30)).valid()).isTrue();
    assertThat(reasonOf(verify(att, "{\"x\":1}", NOW.minusSeconds(30).minusMillis(1))))
        .isEqualTo(AttestationCheck.TIMESTAMP_IN_FUTURE);
  }

  @Test
  @DisplayName("item 17: a different reason, or none where one was attested, fails")
  void item17_reasonMismatchFails() {
    ExecutionAttestation att =
        SIGNER.attest(
            "p1",
            json("{\"x\":1}"),
            ExecutionAttestation.Status.OK,
            Optional.of(json("{\"r\":1}")));
    String pem = HandoffVectors.pem("A");

    AttestationCheck other =
        AttestationVerifier.verify(
            att, pem, json("{\"x\":1}"), Optional.of(json("{\"r\":2}")), MAX_AGE, NOW);
    AttestationCheck missing =
        AttestationVerifier.verify(att, pem, json("{\"x\":1}"), Optional.empty(), MAX_AGE, NOW);
    AttestationCheck same =
        AttestationVerifier.verify(
            att, pem, json("{\"x\":1}"), Optional.of(json("{\"r\":1}")), MAX_AGE, NOW);

    assertThat(reasonOf(other)).isEqualTo(AttestationCheck.REASON_MISMATCH);
    assertThat(reasonOf(missing)).isEqualTo(AttestationCheck.REASON_MISMATCH);
    assertThat(same.valid()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"x\":1.2}", "{\"x\":[1,{\"y\":1e3}]}", "{\"x\":1.0}"})
  @DisplayName("item 17: a float anywhere in the result is refused at signing")
  void item17_floatInResultIsRefused(String result) {
    ObjectNode parsed = (ObjectNode) CanonicalJson.parseKeepingFloatText(result, 16);

    assertThatThrownBy(
            () -> SIGNER.attest("p1", parsed, ExecutionAttestation.Status.OK, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("float");
    assertThatThrownBy(() ->
            SIGNER.attest("p1", json("{}"), ExecutionAttestation.Status.OK, Optional.of(parsed)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName(
      "item 17: verifying against a result with a float is invalid_result, not an exception")
  void item17_verifyingAgainstAFloatResultIsInvalid() {
    ExecutionAttestation att = attest("{\"x\":1}");

    assertThat(reasonOf(verify(att, "{\"x\":1.5}", NOW)))
        .isEqualTo(AttestationCheck.INVALID_RESULT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"packet_id\":\"p\"}", "{\"attestation\":{}}", "{\"__control__\":1}"})
  @DisplayName("item 17: reserved keys are refused in a result")
  void item17_reservedKeysAreRefused(String result) {
    assertThatThrownBy(() -> attest(result))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reserved");
  }

  @Test
  @DisplayName("item 17: a result is a JSON object of at most 256 KiB canonical JSON")
  void item17_resultMustBeABoundedObject() {
    String fits = "x".repeat(AttestationPayload.MAX_CANONICAL_BYTES - "{\"a\":\"\"}".length());
    ObjectNode atLimit = Json.object().put("a", fits);
    ObjectNode overLimit = Json.object().put("a", fits + "x");

    assertThat(AttestationPayload.canonicalBytes(atLimit)).hasSize(256 * 1024);
    assertThat(attest(atLimit.toString()).outcomeHash()).hasSize(64);
    assertThatThrownBy(() -> AttestationPayload.requireValid(overLimit))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds");
    assertThatThrownBy(() -> AttestationPayload.requireValid(CanonicalJson.parse("[1]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("object");
  }

  @Test
  @DisplayName("item 17: nesting deeper than the reference's 100 levels is refused")
  void item17_deepNestingIsRefused() {
    String deep = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
    String tooDeep = "{\"a\":".repeat(101) + "1" + "}".repeat(101);

    assertThat(AttestationPayload.hash(CanonicalJson.parse(deep, 200))).hasSize(64);
    assertThatThrownBy(() -> AttestationPayload.hash(CanonicalJson.parse(tooDeep, 200)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deeper");
  }

  @Test
  @DisplayName("item 17: a clock before 2020 cannot sign")
  void item17_timestampBefore2020IsRefused() {
    assertThatThrownBy(() ->
            SIGNER.attest(
                "p1",
                json("{}"),
                ExecutionAttestation.Status.OK,
                Optional.empty(),
                BigInteger.ONE,
                AttestationSigner.TIMESTAMP_FLOOR_MS - 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName(
      "item 17: any signed field changed, or a non-canonical signature, fails the signature")
  void item17_tamperingFailsTheSignature() {
    ExecutionAttestation att = attest("{\"x\":1}");
    ExecutionAttestation otherPacket =
        new ExecutionAttestation(
            "p2",
            att.status(),
            att.outcomeHash(),
            att.nonce(),
            att.timestampMs(),
            att.signedBy(),
            att.agentPubkeyFingerprint(),
            att.signature(),
            att.reasonHash());
    ExecutionAttestation padded =
        new ExecutionAttestation(
            att.packetId(),
            att.status(),
            att.outcomeHash(),
            att.nonce(),
            att.timestampMs(),
            att.signedBy(),
            att.agentPubkeyFingerprint(),
            att.signature() + "==",
            att.reasonHash());

    assertThat(reasonOf(verify(otherPacket, "{\"x\":1}", NOW)))
        .isEqualTo(AttestationCheck.INVALID_SIGNATURE);
    assertThat(reasonOf(verify(padded, "{\"x\":1}", NOW)))
        .isEqualTo(AttestationCheck.INVALID_SIGNATURE);
    assertThat(
            reasonOf(
                AttestationVerifier.verify(
                    att, "not a pem", json("{\"x\":1}"), Optional.empty(), MAX_AGE, NOW)))
        .isEqualTo(AttestationCheck.INVALID_PUBLIC_KEY);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ok_unicode_nested", "error_with_reason"})
  @DisplayName(
      "item 17: fixed examples reproduce byte for byte (canonical result, signed bytes, JSON)")
  void item17_knownAnswerAttestationsReproduceByteForByte(String name) throws Exception {
    JsonNode kat = HandoffVectors.attestationCase(name);
    ObjectNode result = json(kat.path("result_json").stringValue());
    Optional<JsonNode> reason =
        kat.path("reason_json").isString()
            ? Optional.of(CanonicalJson.parse(kat.path("reason_json").stringValue()))
            : Optional.empty();
    Ed25519PrivateKey key = HandoffVectors.key(kat.path("signer").stringValue());
    AttestationSigner signer =
        AttestationSigner.create(
            HandoffVectors.agentId("A"), key, Clock.systemUTC(), new SecureRandom());

    ExecutionAttestation att =
        signer.attest(
            kat.path("packet_id").stringValue(),
            result,
            ExecutionAttestation.Status.valueOf(kat.path("status").stringValue()),
            reason,
            kat.path("nonce").bigIntegerValue(),
            kat.path("timestamp_ms").longValue());

    assertThat(new String(AttestationPayload.canonicalBytes(result), StandardCharsets.UTF_8))
        .isEqualTo(kat.path("canonical_result").stringValue());
    assertThat(HexFormat.of().formatHex(att.signedBytes()))
        .isEqualTo(kat.path("signed_bytes_hex").stringValue());
    assertThat(PythonJson.dumpsCompact(att.toJson()))
        .isEqualTo(kat.path("attestation_json").stringValue());
    ExecutionAttestation parsed =
        ExecutionAttestation.fromJson(
            CanonicalJson.parse(kat.path("attestation_json").stringValue()));
    assertThat(parsed).isEqualTo(att);
    Instant at = Instant.ofEpochMilli(att.timestampMs());
    assertThat(
            AttestationVerifier.verify(parsed, signer.publicKeyPem(), result, reason, MAX_AGE, at)
                .valid())
        .isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"extra\":1",
        "\"nonce\":\"42\"",
        "\"nonce\":42.0",
        "\"nonce\":340282366920938463463374607431768211456",
        "\"nonce\":-1",
        "\"status\":\"ok\"",
        "\"outcome_hash\":\"ABCDEF\"",
        "\"timestamp_ms\":18446744073709551615",
        "\"reason_hash\":1"
      })
  @DisplayName(
      "item 17: the attestation JSON refuses unknown fields, wrong types and broken patterns")
  void item17_attestationJsonIsStrict(String member) {
    ObjectNode good =
        (ObjectNode)
            CanonicalJson.parse(
                HandoffVectors.attestationCase("error_with_reason")
                    .path("attestation_json")
                    .stringValue());
    ObjectNode bad = good.deepCopy();
    JsonNode replacement = CanonicalJson.parseKeepingFloatText("{" + member + "}", 4);
    replacement.properties().forEach(e -> bad.set(e.getKey(), e.getValue()));

    assertThatThrownBy(() -> ExecutionAttestation.fromJson(bad))
        .isInstanceOf(MalformedPacketException.class);
  }

  @Test
  @DisplayName("item 17: reason_hash may be absent as well as null")
  void item17_absentReasonHashReadsAsNone() throws Exception {
    ObjectNode json =
        (ObjectNode)
            CanonicalJson.parse(
                HandoffVectors.attestationCase("ok_unicode_nested")
                    .path("attestation_json")
                    .stringValue());
    json.remove("reason_hash");

    assertThat(ExecutionAttestation.fromJson(json).reasonHash()).isEmpty();
  }
}
