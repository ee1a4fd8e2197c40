package dev.handshake.delegation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.json.PythonJson;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** trusthandoff.md §4 items 14 and 20: capability bytes, signatures and tokens. */
class CapabilityVectorsTest {
  private static DelegationCapability parse(String id) throws MalformedPacketException {
    return DelegationCapability.parse(
        HandoffVectors.wire(HandoffVectors.capability(id).path("capability_json").stringValue()));
  }

  private static String signer(String id) {
    return id.equals("cap-vec-1") ? "A" : "B";
  }

  @ParameterizedTest
  @ValueSource(strings = {"cap-vec-1", "cap-vec-2"})
  @DisplayName("item 20: the signing payload and signature reproduce byte for byte")
  void item20_signingPayloadAndSignatureReproduceByteForByte(String id) throws Exception {
    JsonNode v = HandoffVectors.capability(id);
    DelegationCapability cap = parse(id);

    assertThat(new String(cap.signingPayload(), StandardCharsets.US_ASCII))
        .isEqualTo(v.path("canonical_signing_payload").stringValue());
    assertThat(cap.signingPayload())
        .asHexString()
        .isEqualToIgnoringCase(v.path("canonical_signing_payload_hex").stringValue());
    DelegationCapability resigned =
        CapabilitySignatures.sign(cap.withSignature(""), HandoffVectors.key(signer(id)));
    assertThat(resigned.signature()).isEqualTo(v.path("signature_b64").stringValue());
    assertThat(PythonJson.dumpsCompact(cap.toJson()))
        .isEqualTo(v.path("capability_json").stringValue());
  }

  @ParameterizedTest
  @ValueSource(strings = {"cap-vec-1", "cap-vec-2"})
  @DisplayName("item 20: the token reproduces byte for byte and decodes to token_decoded_json")
  void item20_tokenReproducesAndDecodes(String id) throws Exception {
    JsonNode v = HandoffVectors.capability(id);
    DelegationCapability cap = parse(id);

    assertThat(CapabilityTokens.encode(cap)).isEqualTo(v.path("token").stringValue());
    DelegationCapability decoded = CapabilityTokens.decode(v.path("token").stringValue());
    assertThat(CapabilityTokens.tokenJson(decoded))
        .isEqualTo(v.path("token_decoded_json").stringValue());
    assertThat(decoded).isEqualTo(cap);
  }

  @ParameterizedTest
  @ValueSource(strings = {"cap-vec-1", "cap-vec-2"})
  @DisplayName("item 14: a signed capability verifies in both modes")
  void item14_signedCapabilityVerifies(String id) throws Exception {
    DelegationCapability cap = parse(id);
    assertThat(CapabilitySignatures.verify(cap, PacketSignatures.Decoding.STRICT, true)).isTrue();
    assertThat(CapabilitySignatures.verify(cap, PacketSignatures.Decoding.LENIENT, false)).isTrue();
  }

  @Test
  @DisplayName("item 14: a tampered subject breaks the signature")
  void item14_tamperedSubjectFails() throws Exception {
    DelegationCapability cap = parse("cap-vec-2");
    DelegationCapability tampered =
        new DelegationCapability(
            cap.capabilityId(),
            cap.issuerAgent(),
            "agent:attacker",
            cap.delegatedPermissions(),
            cap.constraints(),
            cap.issuedAt(),
            cap.expiresAt(),
            cap.parentCapabilityId(),
            cap.signatureAlgo(),
            cap.signature(),
            cap.publicKey());
    assertThat(CapabilitySignatures.verify(tampered, PacketSignatures.Decoding.STRICT, true))
        .isFalse();
    assertThat(CapabilitySignatures.verify(tampered, PacketSignatures.Decoding.LENIENT, false))
        .isFalse();
  }

  @Test
  void junkInsideTheSignatureVerifiesOnlyLeniently() throws Exception {
    DelegationCapability cap = parse("cap-vec-1");
    DelegationCapability junk = cap.withSignature("!!" + cap.signature() + "**");
    assertThat(CapabilitySignatures.verify(junk, PacketSignatures.Decoding.LENIENT, false))
        .isTrue();
    assertThat(CapabilitySignatures.verify(junk, PacketSignatures.Decoding.STRICT, true)).isFalse();
  }

  @Test
  void anotherSignatureAlgorithmIsRefusedByOursOnly() throws Exception {
    DelegationCapability cap = parse("cap-vec-1");
    DelegationCapability rsa =
        CapabilitySignatures.sign(
            new DelegationCapability(
                cap.capabilityId(),
                cap.issuerAgent(),
                cap.subjectAgent(),
                cap.delegatedPermissions(),
                cap.constraints(),
                cap.issuedAt(),
                cap.expiresAt(),
                cap.parentCapabilityId(),
                "RSA",
                "",
                cap.publicKey()),
            HandoffVectors.key("A"));
    assertThat(CapabilitySignatures.verify(rsa, PacketSignatures.Decoding.LENIENT, false)).isTrue();
    assertThat(CapabilitySignatures.verify(rsa, PacketSignatures.Decoding.STRICT, true)).isFalse();
  }

  @Test
  void aCapabilityWhosePublicKeyIsNotThePemOfTheSigningKeyIsNotSigned() throws Exception {
    DelegationCapability cap = parse("cap-vec-2");
    assertThatThrownBy(() -> CapabilitySignatures.sign(cap, HandoffVectors.key("A")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nonUtcDatetimesPrintAsPythonStrInThePayloadAndAsReceivedInTheToken() throws Exception {
    String json =
        HandoffVectors.capability("cap-vec-1")
            .path("capability_json")
            .stringValue()
            .replace("2026-01-01T12:00:00Z", "2026-01-01T14:00:00.25+02:00");
    DelegationCapability cap = DelegationCapability.parse(HandoffVectors.wire(json));
    assertThat(new String(cap.signingPayload(), StandardCharsets.US_ASCII))
        .contains("\"issued_at\": \"2026-01-01 14:00:00.250000+02:00\"");
    assertThat(CapabilityTokens.tokenJson(cap))
        .contains("\"issued_at\":\"2026-01-01T14:00:00.250000+02:00\"");
  }

  @Test
  void malformedTokensAreRefusedWithAClearMessage() {
    String token = HandoffVectors.capability("cap-vec-1").path("token").stringValue();
    assertThatThrownBy(() -> CapabilityTokens.decode(""))
        .isInstanceOf(MalformedPacketException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> CapabilityTokens.decode(token + "=="))
        .isInstanceOf(MalformedPacketException.class)
        .hasMessageContaining("base64url");
    assertThatThrownBy(
            () -> CapabilityTokens.decode(token.substring(0, 4) + "+" + token.substring(5)))
        .isInstanceOf(MalformedPacketException.class)
        .hasMessageContaining("base64url");
    assertThatThrownBy(
            () -> CapabilityTokens.decode("a".repeat(CapabilityTokens.MAX_TOKEN_CHARS + 1)))
        .isInstanceOf(MalformedPacketException.class)
        .hasMessageContaining("longer than");
    assertThatThrownBy(() -> CapabilityTokens.decode(url("{\"capability_id\":")))
        .isInstanceOf(MalformedPacketException.class)
        .hasMessageContaining("not JSON");
    assertThatThrownBy(() -> CapabilityTokens.decode(url("[1,2]")))
        .isInstanceOf(MalformedPacketException.class)
        .hasMessageContaining("JSON object");
    assertThatThrownBy(() -> CapabilityTokens.decode(url("{\"capability_id\":\"x\"}")))
        .isInstanceOf(MalformedPacketException.class)
        .hasMessageContaining("issuer_agent is missing");
  }

  @Test
  void aTokenWithNonZeroUnusedBitsIsNotCanonicalAndRefused() {
    // The token ends in one byte ('}') spelled "fQ": "fR" decodes to the same byte in a lax
    // decoder.
    String token = HandoffVectors.capability("cap-vec-1").path("token").stringValue();
    assertThat(token).endsWith("fQ");
    String altered = token.substring(0, token.length() - 1) + "R";
    assertThatThrownBy(() -> CapabilityTokens.decode(altered))
        .isInstanceOf(MalformedPacketException.class);
  }

  private static String url(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
