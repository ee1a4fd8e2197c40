package dev.handshake.delegation;

import dev.handshake.json.Json;
import dev.handshake.json.PythonJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A signed TrustHandoff capability (trusthandoff.md §2.8): the issuer grants the subject a set of
 * permissions for a time window, optionally derived from a parent capability, signed with the
 * issuer's Ed25519 key whose PEM is {@code public_key}.
 *
 * <p>Its signed bytes differ from a packet's: {@link #signingPayload()} is Python's {@code
 * json.dumps(sort_keys=True)} (spaced separators, ASCII escapes) with datetimes printed by {@code
 * str()} ({@code "2026-01-01 12:00:00+00:00"}). Datetimes are kept {@link HandoffTime as received}
 * so that both that text and the token's {@code Z} text print again byte for byte. Unknown fields
 * of a parsed capability are dropped, as the reference drops them.
 *
 * <pre>{@code
 * DelegationCapability cap = CapabilityTokens.decode(packet.capabilityToken().orElseThrow());
 * boolean ok = CapabilitySignatures.verify(cap, PacketSignatures.Decoding.STRICT, true);
 * }</pre>
 */
public record DelegationCapability(
    String capabilityId,
    String issuerAgent,
    String subjectAgent,
    Permissions delegatedPermissions,
    Optional<Constraints> constraints,
    HandoffTime issuedAt,
    HandoffTime expiresAt,
    Optional<String> parentCapabilityId,
    String signatureAlgo,
    String signature,
    String publicKey) {

  /** The field names in declaration order. */
  public static final List<String> FIELDS =
      List.of(
          "capability_id",
          "issuer_agent",
          "subject_agent",
          "delegated_permissions",
          "constraints",
          "issued_at",
          "expires_at",
          "parent_capability_id",
          "signature_algo",
          "signature",
          "public_key");

  /**
   * Reads a capability from its JSON object with the reference model's rules (all fields required
   * except {@code constraints} and {@code parent_capability_id}; lax integer and datetime
   * coercion).
   *
   * @throws MalformedPacketException naming the first field that is missing or of the wrong type
   */
  public static DelegationCapability parse(JsonNode json) throws MalformedPacketException {
    ModelFields f = ModelFields.of(json, "capability");
    Optional<JsonNode> constraints = f.optionalObject("constraints");
    return new DelegationCapability(
        f.string("capability_id"),
        f.string("issuer_agent"),
        f.string("subject_agent"),
        ModelFields.permissions(
            f.requiredObject("delegated_permissions"), "capability.delegated_permissions"),
        constraints.isEmpty()
            ? Optional.empty()
            : Optional.of(ModelFields.constraints(constraints.get(), "capability.constraints")),
        f.time("issued_at"),
        f.time("expires_at"),
        f.optionalString("parent_capability_id"),
        f.string("signature_algo"),
        f.string("signature"),
        f.string("public_key"));
  }

  /** This capability with {@code signature} replaced. */
  public DelegationCapability withSignature(String newSignature) {
    return new DelegationCapability(
        capabilityId,
        issuerAgent,
        subjectAgent,
        delegatedPermissions,
        constraints,
        issuedAt,
        expiresAt,
        parentCapabilityId,
        signatureAlgo,
        newSignature,
        publicKey);
  }

  /** The exact bytes the signature covers: every field but {@code signature}, sorted, spaced. */
  public byte[] signingPayload() {
    return PythonJson.dumpsSortedAscii(tree(HandoffTime::pythonStr, false))
        .getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The model dump with the signature and {@code Z} datetimes, in declaration order — the form of
   * the vectors' {@code capability_json} and, sorted, of the token's JSON.
   */
  public ObjectNode toJson() {
    return tree(HandoffTime::canonical, true);
  }

  private ObjectNode tree(Function<HandoffTime, String> time, boolean withSignature) {
    ObjectNode n = Json.object();
    n.put("capability_id", capabilityId);
    n.put("issuer_agent", issuerAgent);
    n.put("subject_agent", subjectAgent);
    n.set("delegated_permissions", delegatedPermissions.toJson());
    n.set(
        "constraints",
        constraints.<JsonNode>map(Constraints::toJson).orElse(Json.nodes().nullNode()));
    n.put("issued_at", time.apply(issuedAt));
    n.put("expires_at", time.apply(expiresAt));
    parentCapabilityId.ifPresentOrElse(
        p -> n.put("parent_capability_id", p), () -> n.putNull("parent_capability_id"));
    n.put("signature_algo", signatureAlgo);
    if (withSignature) {
      n.put("signature", signature);
    }
    n.put("public_key", publicKey);
    return n;
  }

  @Override
  public String toString() {
    return "DelegationCapability["
        + capabilityId
        + " "
        + issuerAgent
        + " -> "
        + subjectAgent
        + parentCapabilityId.map(p -> " parent " + p).orElse("")
        + "]";
  }
}
