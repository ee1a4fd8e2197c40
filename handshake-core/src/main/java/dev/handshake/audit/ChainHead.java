package dev.handshake.audit;

import dev.handshake.crypto.Base64Text;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.json.CanonicalJson;
import dev.handshake.json.Json;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A signed checkpoint of one agent's chain: "after {@code eventCount} events my head was {@code
 * headEventHash}" (aiss.md §3 item 6a). Nothing in the reference commits to the head, so dropping
 * the last events of a chain is undetectable there; a verifier holding a newer head than the
 * chain it is shown reports {@code head_valid=false}.
 *
 * <p>Signing input: RFC 8785 canonical JSON of {@code {"agent_id", "event_count",
 * "head_event_hash", "timestamp", "type":"handshake-chain-head/1"}}; the {@code type} member
 * separates it from every other object an agent key signs. Signature: standard Base64.
 */
public record ChainHead(
    String agentId, long eventCount, String headEventHash, long timestamp, String signature) {
  public static final String TYPE = "handshake-chain-head/1";

  public static ChainHead sign(
      Ed25519PrivateKey key, String agentId, long eventCount, String headEventHash, long timestamp) {
    byte[] input = signingInput(agentId, eventCount, headEventHash, timestamp);
    return new ChainHead(
        agentId, eventCount, headEventHash, timestamp, Base64Text.encode(key.sign(input)));
  }

  /** Whether {@code key} signed exactly this head. */
  public boolean verify(Ed25519PublicKey key) {
    return Base64Text.decodeStrict(signature)
        .map(sig -> key.verify(signingInput(agentId, eventCount, headEventHash, timestamp), sig))
        .orElse(false);
  }

  private static byte[] signingInput(
      String agentId, long eventCount, String headEventHash, long timestamp) {
    ObjectNode body = Json.object();
    body.put("agent_id", agentId);
    body.put("event_count", eventCount);
    body.put("head_event_hash", headEventHash);
    body.put("timestamp", timestamp);
    body.put("type", TYPE);
    return CanonicalJson.canonicalize(body);
  }

  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("type", TYPE);
    node.put("agent_id", agentId);
    node.put("event_count", eventCount);
    node.put("head_event_hash", headEventHash);
    node.put("timestamp", timestamp);
    node.put("signature", signature);
    return node;
  }

  /** Reads a head written by {@link #toJson}; empty when a field is missing or mistyped. */
  public static Optional<ChainHead> parse(JsonNode node) {
    if (!TYPE.equals(node.path("type").stringValue(""))
        || !node.path("agent_id").isString()
        || !node.path("event_count").isIntegralNumber()
        || !node.path("head_event_hash").isString()
        || !node.path("timestamp").isIntegralNumber()
        || !node.path("signature").isString()
        || node.path("event_count").longValue() < 0) {
      return Optional.empty();
    }
    return Optional.of(
        new ChainHead(
            node.path("agent_id").stringValue(),
            node.path("event_count").longValue(),
            node.path("head_event_hash").stringValue(),
            node.path("timestamp").longValue(),
            node.path("signature").stringValue()));
  }
}
