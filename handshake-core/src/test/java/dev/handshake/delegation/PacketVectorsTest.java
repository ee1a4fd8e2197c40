package dev.handshake.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.crypto.Sha256;
import dev.handshake.identity.AgentIds;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** trusthandoff.md §4 items 1 and 18: ids and the exact signed bytes of S1 and S2. */
class PacketVectorsTest {
  @ParameterizedTest
  @ValueSource(strings = {"A", "B", "C", "X"})
  void item01_theAgentIdRecomputesFromThePemAndThePemByteForByteFromTheKey(String agent) {
    var key = HandoffVectors.key(agent).publicKey();
    assertThat(PublicKeyPem.of(key)).isEqualTo(HandoffVectors.pem(agent));
    assertThat(PublicKeyPem.of(key)).isEqualTo(HandoffVectors.text(agent + ".pub.pem"));
    assertThat(AgentIds.trustHandoff(key)).isEqualTo(HandoffVectors.agentId(agent)).startsWith("agent:");
    assertThat(PublicKeyPem.parse(HandoffVectors.pem(agent))).contains(key);
  }

  @ParameterizedTest
  @ValueSource(strings = {"S1_minimal", "S2_full"})
  void item18_signingPayloadAndSignatureReproduceByteForByte(String name) throws Exception {
    JsonNode c = HandoffVectors.singleCase(name);
    SignedTaskPacket packet = SignedTaskPacket.parse(HandoffVectors.wire(c.path("packet_json").stringValue()));
    byte[] payload = packet.signingPayload();
    assertThat(new String(payload, StandardCharsets.UTF_8)).isEqualTo(c.path("signing_payload").stringValue());
    assertThat(Sha256.hex(payload)).isEqualTo(c.path("signing_payload_sha256").stringValue());
    assertThat(packet.toWire()).isEqualTo(c.path("packet_json").stringValue());
    assertThat(payload).as("the direct writer and the model dump agree").isEqualTo(packet.signingPayloadFromTree());

    SignedTaskPacket resigned =
        PacketSignatures.sign(packet.withSignature(""), HandoffVectors.key(c.path("signer").stringValue()));
    assertThat(resigned.signature()).isEqualTo(c.path("signature_b64").stringValue());
    assertThat(Base64.getDecoder().decode(resigned.signature()))
        .asHexString().isEqualToIgnoringCase(c.path("signature_hex").stringValue());
  }

  @ParameterizedTest
  @ValueSource(strings = {"S1_minimal", "S2_full"})
  void item18_thePacketVerifiesFromAllThreeWireForms(String name) throws Exception {
    JsonNode c = HandoffVectors.singleCase(name);
    for (String wire :
        new String[] {
          c.path("packet_json").stringValue(),
          HandoffVectors.wire(c.path("envelope_wire_json_envelope_to_json").stringValue()).path("packet").toString(),
          HandoffVectors.wire(c.path("envelope_model_dump_json").stringValue()).path("packet").toString()
        }) {
      SignedTaskPacket packet = SignedTaskPacket.parse(HandoffVectors.wire(wire));
      assertThat(new String(packet.signingPayload(), StandardCharsets.UTF_8))
          .isEqualTo(c.path("signing_payload").stringValue());
      assertThat(PacketSignatures.verify(packet, PacketSignatures.Decoding.STRICT, true)).isTrue();
    }
  }

  @Test
  void aChangedByteInTheIntentBreaksTheSignature() throws Exception {
    JsonNode c = HandoffVectors.singleCase("S1_minimal");
    SignedTaskPacket packet =
        SignedTaskPacket.parse(
            HandoffVectors.wire(c.path("packet_json").stringValue().replace("Research", "Researcx")));
    assertThat(PacketSignatures.verify(packet, PacketSignatures.Decoding.STRICT, true)).isFalse();
  }
}
