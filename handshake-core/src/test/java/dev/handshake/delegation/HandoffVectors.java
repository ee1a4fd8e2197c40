package dev.handshake.delegation;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.json.CanonicalJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import tools.jackson.databind.JsonNode;

/** The TrustHandoff vectors of ../shared/vectors/trusthandoff, copied to test resources. */
final class HandoffVectors {
  static final JsonNode KEYS = read("keys.json");
  static final JsonNode SINGLE = read("packets_single.json");
  static final JsonNode TWO_HOP = read("delegation_2hop.json");
  static final JsonNode NEGATIVE = read("negative_cases.json");

  private HandoffVectors() {}

  static String text(String name) {
    try (InputStream in = HandoffVectors.class.getResourceAsStream("/vectors/trusthandoff/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode read(String name) {
    return CanonicalJson.parse(text(name));
  }

  /** Parses wire text the way a receiver does: key order and number text preserved. */
  static JsonNode wire(String json) {
    return CanonicalJson.parseKeepingFloatText(json, 64);
  }

  static Ed25519PrivateKey key(String agent) {
    return Ed25519PrivateKey.fromSeed(
        HexFormat.of().parseHex(KEYS.path("agents").path(agent).path("seed_hex").stringValue()));
  }

  static String agentId(String agent) {
    return KEYS.path("agents").path(agent).path("agent_id").stringValue();
  }

  static String pem(String agent) {
    return KEYS.path("agents").path(agent).path("public_key_pem").stringValue();
  }

  static JsonNode singleCase(String name) {
    for (JsonNode c : SINGLE.path("cases")) {
      if (c.path("name").stringValue().equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException(name);
  }
}
