package dev.handshake.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.crypto.Base58;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.crypto.Sha256;
import dev.handshake.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class AgentIdsTest {
  private static final HexFormat HEX = HexFormat.of();

  static JsonNode resource(String path) throws IOException {
    try (InputStream in = AgentIdsTest.class.getResourceAsStream(path)) {
      return Json.mapper().readTree(in);
    }
  }

  private static Ed25519PublicKey key(String hex) {
    return Ed25519PublicKey.of(HEX.parseHex(hex));
  }

  @Test
  void rfc8032TestKeysGiveTheAgentIdsInAissSpec() {
    assertThat(AgentIds.aiss(key("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")))
        .isEqualTo("3HhGPB6ht33n51YFaocqBtGePb3xqT4V");
    assertThat(AgentIds.aiss(key("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")))
        .isEqualTo("4uGkom8VQM2v7s7VPyBrqhFL8a1rFsU2");
  }

  @ParameterizedTest
  @ValueSource(strings = {"A", "B"})
  void aissVectorAgentsReproduceFromTheirSeeds(String name) throws IOException {
    JsonNode agent = resource("/vectors/aiss/vectors.json").path("agents").path(name);
    Ed25519PublicKey pub =
        Ed25519PrivateKey.fromSeed(HEX.parseHex(agent.path("ed25519_seed_hex").stringValue()))
            .publicKey();
    assertThat(pub.hex()).isEqualTo(agent.path("public_key_hex").stringValue());
    assertThat(pub.base64()).isEqualTo(agent.path("public_key_b64").stringValue());
    assertThat(Base58.encode(pub.raw())).isEqualTo(agent.path("public_key_b58").stringValue());
    assertThat(Sha256.hex(pub.raw())).isEqualTo(agent.path("sha256_pub_hex").stringValue());
    assertThat(AgentIds.aiss(pub)).isEqualTo(agent.path("agent_id").stringValue());
    assertThat(AgentIds.isAissIdOf(agent.path("agent_id").stringValue(), pub)).isTrue();
  }

  @Test
  void trustHandoffIdsAndPemsReproduceTheVectorKeys() throws IOException {
    for (Map.Entry<String, JsonNode> e :
        resource("/vectors/trusthandoff/keys.json").path("agents").properties()) {
      JsonNode agent = e.getValue();
      Ed25519PublicKey pub =
          Ed25519PrivateKey.fromSeed(HEX.parseHex(agent.path("seed_hex").stringValue())).publicKey();
      assertThat(AgentIds.pem(pub)).as(e.getKey()).isEqualTo(agent.path("public_key_pem").stringValue());
      assertThat(AgentIds.trustHandoff(pub)).as(e.getKey()).isEqualTo(agent.path("agent_id").stringValue());
    }
  }

  @Test
  void aTruncatedOrForeignIdIsNotTheKeysId() {
    Ed25519PublicKey a = key("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    assertThat(AgentIds.isAissIdOf("3HhGPB6ht33n51YFaocqBtGe", a)).isFalse();
    assertThat(AgentIds.isAissIdOf("4uGkom8VQM2v7s7VPyBrqhFL8a1rFsU2", a)).isFalse();
  }
}
