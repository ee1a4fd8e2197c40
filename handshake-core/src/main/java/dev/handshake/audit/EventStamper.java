package dev.handshake.audit;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.json.CanonicalJson;
import dev.handshake.json.Json;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds and signs one AISS-1 event (aiss.md §2.2): the reference's field order, the signature
 * over the canonical form without {@code signature}, Base64 unless told otherwise.
 *
 * <p>Payloads we sign must be in the RFC 8785-safe subset (no floats, integers within ±2^53, no
 * key-order ambiguity), so that every canonicalizer — ours, the reference's and plain RFC 8785 —
 * produces the same bytes; anything else is refused before signing.
 */
public final class EventStamper {
  public static final String VERSION = "AISS-1.0";

  private EventStamper() {}

  /**
   * Signs an event. {@code previousHash} null writes JSON null (the reference's "no previous
   * hash" form; our chains always pass a hash).
   *
   * @throws IllegalArgumentException when the payload is outside the signable subset
   */
  public static AuditEvent stamp(
      Ed25519PrivateKey key,
      String agentId,
      ObjectNode payload,
      @Nullable String previousHash,
      long timestamp,
      String nonce,
      SignatureEncoding encoding) {
    CanonicalJson.requireSignable(payload);
    if (nonce.isEmpty()) {
      throw new IllegalArgumentException("nonce must not be empty");
    }
    return sign(key, unsigned(agentId, payload, previousHash, timestamp, nonce), encoding);
  }

  static ObjectNode unsigned(
      String agentId,
      ObjectNode payload,
      @Nullable String previousHash,
      long timestamp,
      String nonce) {
    ObjectNode event = Json.object();
    event.put("version", VERSION);
    event.put("agent_id", agentId);
    event.put("timestamp", timestamp);
    event.put("nonce", nonce);
    event.set("payload", payload.deepCopy());
    if (previousHash == null) {
      event.putNull("previous_hash");
    } else {
      event.put("previous_hash", previousHash);
    }
    return event;
  }

  /** Signs any event object as is (reference data with floats included); package-internal. */
  static AuditEvent sign(Ed25519PrivateKey key, ObjectNode unsigned, SignatureEncoding encoding) {
    ObjectNode event = unsigned.deepCopy();
    event.remove(AuditEvent.SIGNATURE);
    byte[] input = AuditEvent.canonicalWithout(event);
    event.put(AuditEvent.SIGNATURE, encoding.encode(key.sign(input)));
    return AuditEvent.signed(event, input);
  }
}
