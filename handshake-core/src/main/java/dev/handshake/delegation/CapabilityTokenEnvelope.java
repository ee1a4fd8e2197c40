package dev.handshake.delegation;

import dev.handshake.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The reference's unsigned carrier of a capability token with a payload (trusthandoff.md §2.9):
 * {@code {payload, capability_token, nonce, issued_at}}. Verify it with {@link
 * CapabilityAuthority#verifyEnvelope}.
 */
public record CapabilityTokenEnvelope(
    ObjectNode payload, String capabilityToken, String nonce, HandoffTime issuedAt) {
  public CapabilityTokenEnvelope {
    payload = payload.deepCopy();
  }

  @Override
  public ObjectNode payload() {
    return payload.deepCopy();
  }

  public static CapabilityTokenEnvelope parse(JsonNode json) throws MalformedPacketException {
    ModelFields f = ModelFields.of(json, "envelope");
    return new CapabilityTokenEnvelope(
        f.object("payload"), f.string("capability_token"), f.string("nonce"), f.time("issued_at"));
  }

  /** Declaration order, datetimes with {@code Z}. */
  public ObjectNode toJson() {
    ObjectNode n = Json.object();
    n.set("payload", payload.deepCopy());
    n.put("capability_token", capabilityToken);
    n.put("nonce", nonce);
    n.put("issued_at", issuedAt.canonical());
    return n;
  }
}
