package dev.handshake.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.relay.proto.Packet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** keep.md §2.2, §2.5, §2.8 and §5: our bytes equal the reference's, byte for byte. */
class KeepPacketsTest {

  static Stream<JsonNode> packets() {
    return KeepVectors.section("packets").stream();
  }

  static Stream<JsonNode> serverReplies() {
    return KeepVectors.section("server_replies").stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("packets")
  @DisplayName("34: the sign payload is the canonical encoding of fields 3-10")
  void signPayloadMatchesVector(JsonNode vector) {
    Packet packet = KeepVectors.unsigned(vector.path("fields"));
    assertThat(KeepVectors.hex(KeepPackets.signPayload(packet)))
        .as(vector.path("name").stringValue())
        .isEqualTo(vector.path("sign_payload_hex").stringValue());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("packets")
  @DisplayName("34: our signer reproduces every signature, packet and frame from the test seed")
  void signerReproducesVector(JsonNode vector) {
    Packet signed = KeepPackets.sign(KeepVectors.unsigned(vector.path("fields")), KeepVectors.KEY);
    assertThat(KeepVectors.hex(signed.getSig().toByteArray()))
        .isEqualTo(vector.path("signature_hex").stringValue());
    assertThat(KeepVectors.hex(signed.getPk().toByteArray()))
        .isEqualTo(vector.path("public_key_hex").stringValue());
    assertThat(KeepVectors.hex(signed.toByteArray())).isEqualTo(vector.path("packet_hex").stringValue());
    assertThat(KeepVectors.hex(KeepPackets.frame(signed.toByteArray())))
        .isEqualTo(vector.path("frame_hex").stringValue());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("serverReplies")
  @DisplayName("15, 23: server replies and the heartbeat are exactly the reference bytes")
  void serverRepliesMatchVector(JsonNode vector) {
    JsonNode f = vector.path("fields");
    Packet built =
        f.path("typ").asInt() == KeepPackets.TYP_HEARTBEAT
            ? KeepPackets.heartbeat()
            : KeepPackets.reply(f.path("id").stringValue(), f.path("body").stringValue());
    assertThat(KeepVectors.hex(built.toByteArray())).isEqualTo(vector.path("packet_hex").stringValue());
    assertThat(KeepVectors.hex(KeepPackets.frame(built.toByteArray())))
        .isEqualTo(vector.path("frame_hex").stringValue());
  }

  @Test
  @DisplayName("2.3: frames carry 1..65536 bytes; an empty or larger packet cannot be framed")
  void frameBounds() {
    assertThat(KeepPackets.frame(new byte[KeepPackets.MAX_PACKET_SIZE])).hasSize(65540);
    assertThatThrownBy(() -> KeepPackets.frame(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeepPackets.frame(new byte[65537])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("24: no server packet serialises to zero bytes")
  void serverPacketsAreNeverEmpty() {
    assertThat(KeepPackets.reply("", "done").toByteArray()).isNotEmpty();
    assertThat(KeepPackets.heartbeat().toByteArray()).isNotEmpty();
  }
}
