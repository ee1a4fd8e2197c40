package dev.handshake.audit;

import dev.handshake.crypto.Sha256;
import dev.handshake.json.PythonJson;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One AISS event as it was signed or read: a JSON object with {@code version}, {@code agent_id},
 * {@code timestamp}, {@code nonce}, {@code payload}, {@code previous_hash} and {@code signature}
 * (aiss.md §2.2). The object is copied in and never handed out mutable, so an event cannot change
 * after its hash was taken.
 *
 * <p>The signing input and the event hash are both over the canonical form of the object without
 * its top-level {@code signature}. The compatibility canonicalizer ({@link PythonJson}) is used
 * for every event: it is byte-identical to RFC 8785 on the subset our own events are restricted
 * to (checked when stamping) and reproduces the reference's bytes for floats and big integers.
 */
public final class AuditEvent {
  public static final String SIGNATURE = "signature";

  private final ObjectNode json;
  private byte @Nullable [] signingInput;
  private @Nullable String hash;

  private AuditEvent(ObjectNode json) {
    this.json = json;
  }

  /** Wraps a copy of {@code json}; validation is the verifier's job, so any object is accepted. */
  public static AuditEvent of(ObjectNode json) {
    return new AuditEvent(json.deepCopy());
  }

  /**
   * Wraps a freshly signed event whose signing input the signer already computed (the canonical
   * form without {@code signature} is the same before and after the signature is added).
   */
  static AuditEvent signed(ObjectNode json, byte[] signingInput) {
    AuditEvent event = new AuditEvent(json.deepCopy());
    event.signingInput = signingInput.clone();
    return event;
  }

  /** A copy of the event as JSON. */
  public ObjectNode json() {
    return json.deepCopy();
  }

  /** Read-only view for callers in this package that promise not to modify it. */
  ObjectNode view() {
    return json;
  }

  public String version() {
    return text("version");
  }

  public String agentId() {
    return text("agent_id");
  }

  public String nonce() {
    return text("nonce");
  }

  public String signature() {
    return text(SIGNATURE);
  }

  /** The integer timestamp, or empty when the field is missing or not an integer. */
  public OptionalLong timestamp() {
    JsonNode t = json.path("timestamp");
    return t.isIntegralNumber() && t.canConvertToLong()
        ? OptionalLong.of(t.longValue())
        : OptionalLong.empty();
  }

  /** {@code previous_hash} as text; empty for JSON null or a missing field. */
  public Optional<String> previousHash() {
    JsonNode p = json.path("previous_hash");
    return p.isString() ? Optional.of(p.stringValue()) : Optional.empty();
  }

  /** A copy of the payload object (an empty object when missing or not an object). */
  public ObjectNode payload() {
    JsonNode p = json.path("payload");
    return p.isObject() ? ((ObjectNode) p).deepCopy() : json.objectNode();
  }

  /** The payload's {@code event_type}, or "" when there is none. */
  public String eventType() {
    return json.path("payload").path("event_type").stringValue("");
  }

  /** UTF-8 canonical JSON of the event without its top-level {@code signature}. */
  public byte[] signingInput() {
    byte[] input = signingInput;
    if (input == null) {
      input = canonicalWithout(json, SIGNATURE);
      signingInput = input;
    }
    return input.clone();
  }

  /** Lowercase hex SHA-256 of {@link #signingInput()}: what the next event's previous_hash names. */
  public String hash() {
    String h = hash;
    if (h == null) {
      h = Sha256.hex(signingInput());
      hash = h;
    }
    return h;
  }

  static byte[] canonicalWithout(ObjectNode object, String... fields) {
    ObjectNode copy = object.deepCopy();
    for (String field : fields) {
      copy.remove(field);
    }
    return PythonJson.canonicalize(copy);
  }

  private String text(String field) {
    return json.path(field).stringValue("");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuditEvent other && json.equals(other.json);
  }

  @Override
  public int hashCode() {
    return json.hashCode();
  }

  @Override
  public String toString() {
    return "AuditEvent[" + agentId() + " " + eventType() + " " + hash() + "]";
  }
}
