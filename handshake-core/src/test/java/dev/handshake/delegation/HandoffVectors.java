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

/**
 * The TrustHandoff vectors of ../shared/vectors/trusthandoff, copied to test resources. Public (and
 * in the core test-jar) so that the server and servlet tests send the same vectors over HTTP.
 */
public final class HandoffVectors {
  public static final JsonNode KEYS = read("keys.json");
  public static final JsonNode SINGLE = read("packets_single.json");
  public static final JsonNode TWO_HOP = read("delegation_2hop.json");
  public static final JsonNode NEGATIVE = read("negative_cases.json");

  /**
   * Our known-answer execution attestations (trusthandoff.md §2.12), made by {@code
   * generate_kat.py} beside them from the spec text with key A; the reference has no fixed ones.
   */
  static final JsonNode ATTESTATION_KAT =
      CanonicalJson.parse(resource("/vectors/trusthandoff-attestation/attestation_kat.json"));

  private HandoffVectors() {}

  public static String text(String name) {
    return resource("/vectors/trusthandoff/" + name);
  }

  private static String resource(String path) {
    try (InputStream in = HandoffVectors.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode read(String name) {
    return CanonicalJson.parse(text(name));
  }

  /** Parses wire text the way a receiver does: key order and number text preserved. */
  public static JsonNode wire(String json) {
    return CanonicalJson.parseKeepingFloatText(json, 64);
  }

  public static Ed25519PrivateKey key(String agent) {
    return Ed25519PrivateKey.fromSeed(
        HexFormat.of().parseHex(KEYS.path("agents").path(agent).path("seed_hex").stringValue()));
  }

  public static String agentId(String agent) {
    return KEYS.path("agents").path(agent).path("agent_id").stringValue();
  }

  public static String pem(String agent) {
    return KEYS.path("agents").path(agent).path("public_key_pem").stringValue();
  }

  public static JsonNode singleCase(String name) {
    for (JsonNode c : SINGLE.path("cases")) {
      if (c.path("name").stringValue().equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException(name);
  }

  /** One capability of delegation_2hop.json ({@code cap-vec-1}, {@code cap-vec-2}). */
  public static JsonNode capability(String id) {
    JsonNode c = TWO_HOP.path("capabilities").path(id);
    if (c.isMissingNode()) {
      throw new IllegalArgumentException(id);
    }
    return c;
  }

  /** The negative case whose name starts with {@code prefix} (e.g. {@code "N14"}). */
  public static JsonNode negativeCase(String prefix) {
    for (JsonNode c : NEGATIVE.path("cases")) {
      if (c.path("name").stringValue().startsWith(prefix + "_")) {
        return c;
      }
    }
    throw new IllegalArgumentException(prefix);
  }

  /** The known-answer attestation named {@code name} ({@code ok_unicode_nested}, …). */
  static JsonNode attestationCase(String name) {
    for (JsonNode c : ATTESTATION_KAT.path("cases")) {
      if (c.path("name").stringValue().equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException(name);
  }

  /** The reference registry of the vectors: agent_id → PEM for A, B and C. */
  public static Map<String, String> registryAbc() {
    Map<String, String> registry = new LinkedHashMap<>();
    for (String agent : new String[] {"A", "B", "C"}) {
      registry.put(agentId(agent), pem(agent));
    }
    return registry;
  }
}
