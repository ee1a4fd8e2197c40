package dev.handshake.delegation;

import dev.handshake.json.Json;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A receiver's answer to a hand-off: ACCEPT or REJECT with the reason (trusthandoff.md §2.5), as
 * the reference's decision object {@code {"packet_id","decision","reason"}}, with the optional
 * sanitised {@code details} of 0.3.1.
 *
 * <p>Immutable: {@code details} are sanitised ({@link DecisionDetails}) into a private copy and
 * handed out as copies. The 0.3.1 model's limits hold: {@code reason} is at most {@value
 * #MAX_REASON_LENGTH} characters, and {@link #fromJson} refuses unknown fields.
 *
 * @param reason one of {@link Reasons}; empty only where the reference answers {@code null}
 * @param details sanitised diagnostics [0.3.1]; empty for the 0.2.3 shape
 */
public record Decision(
    String packetId, Verdict verdict, Optional<String> reason, Optional<ObjectNode> details) {
  /** The longest reason the 0.3.1 model accepts, in characters (code points). */
  public static final int MAX_REASON_LENGTH = 256;

  private static final Set<String> FIELDS =
      Set.of("packet_id", "decision", "reason", "details", "execution_attestation");

  /** The two outcomes, spelled as on the wire. */
  public enum Verdict {
    ACCEPT,
    REJECT
  }

  /**
   * Sanitises {@code details} and checks the reason's length.
   *
   * @throws IllegalArgumentException for a reason longer than {@value #MAX_REASON_LENGTH}
   */
  public Decision {
    reason.ifPresent(r -> {
      if (r.codePointCount(0, r.length()) > MAX_REASON_LENGTH) {
        throw new IllegalArgumentException(
            "reason is longer than " + MAX_REASON_LENGTH + " characters");
      }
    });
    details = details.map(DecisionDetails::sanitize);
  }

  /** A decision without details (the 0.2.3 model). */
  public Decision(String packetId, Verdict verdict, Optional<String> reason) {
    this(packetId, verdict, reason, Optional.empty());
  }

  public static Decision accept(String packetId, String reason) {
    return new Decision(packetId, Verdict.ACCEPT, Optional.of(reason));
  }

  public static Decision reject(String packetId, String reason) {
    return new Decision(packetId, Verdict.REJECT, Optional.of(reason));
  }

  /**
   * A decision with diagnostics [0.3.1]; {@code details} are sanitised ({@link DecisionDetails}),
   * so they may hold long strings, byte arrays or deep structures.
   */
  public static Decision detailed(
      String packetId, Verdict verdict, Optional<String> reason, Map<String, ?> details) {
    return new Decision(packetId, verdict, reason, Optional.of(DecisionDetails.sanitize(details)));
  }

  public boolean accepted() {
    return verdict == Verdict.ACCEPT;
  }

  /** A copy of the sanitised details. */
  @Override
  public Optional<ObjectNode> details() {
    return details.map(ObjectNode::deepCopy);
  }

  /**
   * The reference's JSON shape: {@code packet_id}, {@code decision}, {@code reason} (null when
   * absent) and, only when present, {@code details} — without details exactly the 0.2.3 object.
   */
  public ObjectNode toJson() {
    ObjectNode n = Json.object();
    n.put("packet_id", packetId);
    n.put("decision", verdict.name());
    reason.ifPresentOrElse(r -> n.put("reason", r), () -> n.putNull("reason"));
    details.ifPresent(d -> n.set("details", d.deepCopy()));
    return n;
  }

  /**
   * Reads a decision object as the 0.3.1 model does: {@code packet_id} and {@code decision}
   * required, {@code reason} and {@code details} optional or null, details sanitised, unknown
   * fields refused. An {@code execution_attestation} is accepted only as null (0.3.1's {@code
   * model_dump_json} writes it so); a decision carrying one is refused, because this model does not
   * hold attestations — check them with {@link AttestationVerifier}.
   *
   * @throws MalformedPacketException naming the first field that does not fit
   */
  public static Decision fromJson(JsonNode json) throws MalformedPacketException {
    if (!json.isObject()) {
      throw new MalformedPacketException("decision must be a JSON object");
    }
    for (String name : json.propertyNames()) {
      if (!FIELDS.contains(name)) {
        throw new MalformedPacketException("decision has an unknown field: " + name);
      }
    }
    JsonNode id = json.path("packet_id");
    if (!id.isString()) {
      throw new MalformedPacketException("decision.packet_id must be a string");
    }
    JsonNode verdict = json.path("decision");
    if (!verdict.isString()
        || !(verdict.stringValue().equals("ACCEPT") || verdict.stringValue().equals("REJECT"))) {
      throw new MalformedPacketException("decision.decision must be \"ACCEPT\" or \"REJECT\"");
    }
    JsonNode reason = json.path("reason");
    if (!(reason.isMissingNode() || reason.isNull() || reason.isString())) {
      throw new MalformedPacketException("decision.reason must be a string or null");
    }
    JsonNode details = json.path("details");
    if (!(details.isMissingNode() || details.isNull() || details.isObject())) {
      throw new MalformedPacketException("decision.details must be an object or null");
    }
    JsonNode attestation = json.path("execution_attestation");
    if (!(attestation.isMissingNode() || attestation.isNull())) {
      throw new MalformedPacketException("decision.execution_attestation is not supported");
    }
    try {
      return new Decision(
          id.stringValue(),
          Verdict.valueOf(verdict.stringValue()),
          reason.isString() ? Optional.of(reason.stringValue()) : Optional.empty(),
          details.isObject() ? Optional.of((ObjectNode) details) : Optional.empty());
    } catch (IllegalArgumentException e) {
      throw new MalformedPacketException("decision: " + e.getMessage());
    }
  }
}
