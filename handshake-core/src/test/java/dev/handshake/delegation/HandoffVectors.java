package dev.handshake.delegation;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.json.CanonicalJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
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

  /** One capability of delegation_2hop.json ({@code cap-vec-1}, {@code cap-vec-2}). */
  static JsonNode capability(String id) {
    JsonNode c = TWO_HOP.path("capabilities").path(id);
    if (c.isMissingNode()) {
      throw new IllegalArgumentException(id);
    }
    return c;
  }

  /** The negative case whose name starts with {@code prefix} (e.g. {@code "N14"}). */
  static JsonNode negativeCase(String prefix) {
    for (JsonNode c : NEGATIVE.path("cases")) {
      if (c.path("name").stringValue().startsWith(prefix + "_")) {
        return c;
      }
    }
    throw new IllegalArgumentException(prefix);
  }

  /** The reference registry of the vectors: agent_id → PEM for A, B and C. */
  static Map<String, String> registryAbc() {
    Map<String, String> registry = new LinkedHashMap<>();
    for (String agent : new String[] {"A", "B", "C"}) {
      registry.put(agentId(agent), pem(agent));
    }
    return registry;
  }
}
