package dev.handshake.identity;

import dev.handshake.crypto.Base64Text;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.json.Json;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The AISS identity document ({@code identity.json}, aiss.md §2.1): an agent's id, its full
 * public key (standard Base64) and when it was created. Not signed; it is trusted only because
 * {@code agent_id} derives from {@code public_key}, which {@link #parse} checks unless told to
 * accept the reference's unchecked form.
 *
 * @param metadata an optional free-form object, kept as read
 */
public record IdentityDocument(
    String agentId, Ed25519PublicKey publicKey, long createdAt, Optional<ObjectNode> metadata) {
  public static final String VERSION = "AISS-1.0";
  public static final String ALGORITHM = "Ed25519";

  /** A document for {@code key}, with its derived agent id. */
  public static IdentityDocument of(
      Ed25519PublicKey key, long createdAt, Optional<ObjectNode> metadata) {
    return new IdentityDocument(AgentIds.aiss(key), key, createdAt, metadata);
  }

  /** Whether {@link #agentId} is the id derived from {@link #publicKey}. */
  public boolean bound() {
    return AgentIds.isAissIdOf(agentId, publicKey);
  }

  /** The document in the reference's key order. */
  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("version", VERSION);
    node.put("agent_id", agentId);
    node.put("public_key", publicKey.base64());
    node.put("algorithm", ALGORITHM);
    node.put("created_at", createdAt);
    metadata.ifPresent(m -> node.set("metadata", m.deepCopy()));
    return node;
  }

  /** Why a document could not be read. */
  public static final class InvalidIdentityException extends Exception {
    public InvalidIdentityException(String message) {
      super(message);
    }
  }

  /**
   * Reads a document. With {@code requireBinding} (our default) a document whose {@code agent_id}
   * is not derived from its key is refused; {@code lenientBase64} decodes the key the way the
   * reference does (characters outside the alphabet discarded).
   */
  public static IdentityDocument parse(JsonNode node, boolean requireBinding, boolean lenientBase64)
      throws InvalidIdentityException {
    if (!node.isObject()) {
      throw new InvalidIdentityException("identity must be a JSON object");
    }
    String agentId = text(node, "agent_id");
    String keyText = text(node, "public_key");
    String algorithm = node.path("algorithm").stringValue(ALGORITHM);
    if (!ALGORITHM.equals(algorithm)) {
      throw new InvalidIdentityException("identity algorithm must be Ed25519, got " + algorithm);
    }
    Optional<byte[]> raw =
        lenientBase64 ? Base64Text.decodeLenient(keyText) : Base64Text.decodeStrict(keyText);
    Ed25519PublicKey key =
        raw.flatMap(Ed25519PublicKey::parse)
            .orElseThrow(
                () ->
                    new InvalidIdentityException(
                        "identity public_key is not the standard Base64 of a 32-byte Ed25519 key"));
    long createdAt = node.path("created_at").canConvertToLong() ? node.path("created_at").asLong() : 0;
    JsonNode metadata = node.path("metadata");
    IdentityDocument doc =
        new IdentityDocument(
            agentId,
            key,
            createdAt,
            metadata.isObject() ? Optional.of((ObjectNode) metadata.deepCopy()) : Optional.empty());
    if (requireBinding && !doc.bound()) {
      throw new InvalidIdentityException(
          "identity agent_id " + agentId + " is not derived from its public_key (expected "
              + AgentIds.aiss(key) + ")");
    }
    return doc;
  }

  private static String text(JsonNode node, String field) throws InvalidIdentityException {
    JsonNode value = node.path(field);
    if (!value.isString() || value.stringValue().isEmpty()) {
      throw new InvalidIdentityException("identity " + field + " is missing");
    }
    return value.stringValue();
  }
}
