package dev.handshake.client.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.json.Json;
import dev.handshake.relay.KeepPackets;
import dev.handshake.relay.proto.Packet;
import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The client's signer against {@code vectors/keep/packets.json} (keep.md §5, checklist 34: "our
 * signer reproduces every signature_hex from the test seed").
 */
class RelayClientVectorTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final JsonNode VECTORS = load();

  private static JsonNode load() {
    try (InputStream in =
        RelayClientVectorTest.class.getResourceAsStream("/vectors/keep/packets.json")) {
      if (in == null) {
        throw new IllegalStateException("vectors/keep/packets.json missing from test resources");
      }
      return Json.mapper().readTree(in.readAllBytes());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<JsonNode> packets() {
    return StreamSupport.stream(VECTORS.path("packets").spliterator(), false).toList();
  }

  private static RelayClient clientFor(String src) {
    byte[] seed = HEX.parseHex(VECTORS.path("key").path("seed_hex").asString());
    return RelayClient.builder().src(src).key(Ed25519PrivateKey.fromSeed(seed)).build();
  }

  @Test
  @DisplayName("34: minimal_ask signed by the client equals the vector byte for byte")
  void signsMinimalAskExactlyAsTheReferenceSdk() {
    JsonNode vector = packets().getFirst();
    assertThat(vector.path("name").asString()).isEqualTo("minimal_ask");
    RelayClient client = clientFor("bot:vec-a");

    Packet signed =
        client.sign(
            Packet.newBuilder().setId("p1").setDst("server").setBody("hi").setTtl(0).build());

    assertThat(HEX.formatHex(KeepPackets.signPayload(signed)))
        .as("sign payload = canonical fields 3..10")
        .isEqualTo(vector.path("sign_payload_hex").asString());
    assertThat(HEX.formatHex(signed.getSig().toByteArray()))
        .isEqualTo(vector.path("signature_hex").asString());
    assertThat(HEX.formatHex(signed.toByteArray()))
        .as("wire packet = 0a40<sig> 1220<pk> <sign payload>")
        .isEqualTo(vector.path("packet_hex").asString());
    assertThat(HEX.formatHex(KeepPackets.frame(signed.toByteArray())))
        .isEqualTo(vector.path("frame_hex").asString());
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("packets")
  @DisplayName("34: every vector packet is reproduced by the client's signer")
  void reproducesEveryVectorPacket(JsonNode vector) {
    JsonNode f = vector.path("fields");
    RelayClient client = clientFor(f.path("src").asString());
    Packet template =
        Packet.newBuilder()
            .setTyp(f.path("typ").asInt())
            .setId(f.path("id").asString())
            .setDst(f.path("dst").asString())
            .setBody(f.path("body").asString())
            .setFee(Long.parseUnsignedLong(f.path("fee").asString()))
            .setTtl((int) f.path("ttl").asLong())
            .setScar(ByteString.copyFrom(HEX.parseHex(f.path("scar_hex").asString())))
            .build();

    Packet signed = client.sign(template);

    assertThat(HEX.formatHex(signed.toByteArray()))
        .as("packet_hex of %s", vector.path("name").asString())
        .isEqualTo(vector.path("packet_hex").asString());
  }

  @Test
  void fillsAFreshIdAndItsOwnSrcWhenTheTemplateHasNone() {
    RelayClient client = clientFor("bot:vec-a");

    Packet first = client.sign(Packet.newBuilder().setDst("server").build());
    Packet second = client.sign(Packet.newBuilder().setDst("server").build());

    assertThat(first.getSrc()).isEqualTo("bot:vec-a");
    assertThat(first.getId()).as("a UUID").hasSize(36).isNotEqualTo(second.getId());
  }
}
