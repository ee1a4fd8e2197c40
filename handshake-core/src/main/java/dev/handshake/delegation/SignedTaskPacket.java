package dev.handshake.delegation;

import dev.handshake.json.Json;
import dev.handshake.json.PythonJson;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A TrustHandoff task hand-off packet (trusthandoff.md §2.2): who hands which task to whom, with
 * what permissions, for how long, signed by the sender's Ed25519 key.
 *
 * <p>{@link #signingPayload()} is the exact signed text of §2.3: the 18 fields other than {@code
 * signature} in declaration order, all present, compact, raw UTF-8, datetimes {@link
 * HandoffTime#canonical() as received}, {@code context} in the order it was parsed. Unknown
 * top-level fields of a parsed packet are dropped, as the reference drops them: never signed,
 * never forwarded ({@link #unknownFields()} only names them).
 *
 * <pre>{@code
 * SignedTaskPacket packet = SignedTaskPacket.parse(CanonicalJson.parseKeepingFloatText(text, 64));
 * boolean ok = PacketSignatures.verify(packet, PacketSignatures.Decoding.STRICT);
 * }</pre>
 */
public record SignedTaskPacket(
    String packetId,
    String taskId,
    String fromAgent,
    String toAgent,
    HandoffTime issuedAt,
    HandoffTime expiresAt,
    String nonce,
    Optional<String> capabilityToken,
    String intent,
    Optional<String> taskType,
    Optional<String> goal,
    ObjectNode context,
    List<String> memoryRefs,
    Permissions permissions,
    Optional<Constraints> constraints,
    Optional<Provenance> provenance,
    String signatureAlgo,
    String signature,
    String publicKey,
    Set<String> unknownFields) {

  /** The field names in declaration order, which is the signed key order. */
  public static final List<String> FIELDS =
      List.of(
          "packet_id", "task_id", "from_agent", "to_agent", "issued_at", "expires_at", "nonce",
          "capability_token", "intent", "task_type", "goal", "context", "memory_refs",
          "permissions", "constraints", "provenance", "signature_algo", "signature", "public_key");

  public static final String ED25519 = "Ed25519";

  private static final Set<String> KNOWN = Set.copyOf(FIELDS);

  public SignedTaskPacket {
    context = context.deepCopy();
    memoryRefs = List.copyOf(memoryRefs);
    unknownFields = Set.copyOf(unknownFields);
  }

  /**
   * Reads a packet from its JSON object (parse the text with {@code
   * CanonicalJson.parseKeepingFloatText} so that key order and number text survive).
   *
   * @throws MalformedPacketException when a required field is missing or a value has the wrong
   *     type or is not a datetime
   */
  public static SignedTaskPacket parse(JsonNode json) throws MalformedPacketException {
    ModelFields f = ModelFields.of(json, "");
    Set<String> unknown = new LinkedHashSet<>();
    json.propertyNames().forEach(n -> {
      if (!KNOWN.contains(n)) {
        unknown.add(n);
      }
    });
    Optional<JsonNode> constraints = f.optionalObject("constraints");
    Optional<JsonNode> provenance = f.optionalObject("provenance");
    return new SignedTaskPacket(
        f.string("packet_id"),
        f.string("task_id"),
        f.string("from_agent"),
        f.string("to_agent"),
        f.time("issued_at"),
        f.time("expires_at"),
        f.string("nonce"),
        f.optionalString("capability_token"),
        f.string("intent"),
        f.optionalString("task_type"),
        f.optionalString("goal"),
        f.object("context"),
        f.strings("memory_refs"),
        ModelFields.permissions(f.requiredObject("permissions"), "permissions"),
        constraints.isEmpty() ? Optional.empty()
            : Optional.of(ModelFields.constraints(constraints.get(), "constraints")),
        provenance.isEmpty() ? Optional.empty()
            : Optional.of(ModelFields.provenance(provenance.get(), "provenance")),
        f.string("signature_algo"),
        f.string("signature"),
        f.string("public_key"),
        unknown);
  }

  /** A copy of the context, in the order it was parsed or built. */
  @Override
  public ObjectNode context() {
    return context.deepCopy();
  }

  /** This packet with {@code signature} replaced. */
  public SignedTaskPacket withSignature(String newSignature) {
    return new SignedTaskPacket(
        packetId, taskId, fromAgent, toAgent, issuedAt, expiresAt, nonce, capabilityToken, intent,
        taskType, goal, context, memoryRefs, permissions, constraints, provenance, signatureAlgo,
        newSignature, publicKey, unknownFields);
  }

  /** The packet as the reference's model dump: declaration order, every field, with signature. */
  public ObjectNode toJson() {
    return tree(true);
  }

  /** {@link #toJson()} as compact text ({@code model_dump_json}), the packet's usual wire form. */
  public String toWire() {
    return PythonJson.dumpsCompact(toJson());
  }

  /**
   * The exact bytes the signature covers (§2.3). Written field by field rather than through a
   * JSON tree: it runs once per received packet, next to the signature check, and is the same
   * text {@link #toJson()} without {@code signature} prints (a test holds them equal).
   */
  public byte[] signingPayload() {
    StringBuilder out = new StringBuilder(512 + intent.length());
    text(out, '{', "packet_id", packetId);
    text(out, ',', "task_id", taskId);
    text(out, ',', "from_agent", fromAgent);
    text(out, ',', "to_agent", toAgent);
    text(out, ',', "issued_at", issuedAt.canonical());
    text(out, ',', "expires_at", expiresAt.canonical());
    text(out, ',', "nonce", nonce);
    optional(out, "capability_token", capabilityToken);
    text(out, ',', "intent", intent);
    optional(out, "task_type", taskType);
    optional(out, "goal", goal);
    out.append(",\"context\":");
    PythonJson.appendCompact(out, context);
    out.append(",\"memory_refs\":[");
    for (int i = 0; i < memoryRefs.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      PythonJson.appendString(out, memoryRefs.get(i));
    }
    out.append("],\"permissions\":{\"allowed_actions\":[");
    List<String> actions = permissions.allowedActions();
    for (int i = 0; i < actions.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      PythonJson.appendString(out, actions.get(i));
    }
    out.append("],\"max_tool_calls\":");
    number(out, permissions.maxToolCalls());
    out.append("},\"constraints\":");
    if (constraints.isPresent()) {
      out.append("{\"max_runtime_seconds\":");
      number(out, constraints.get().maxRuntimeSeconds());
      optional(out, "data_boundary", constraints.get().dataBoundary());
      out.append('}');
    } else {
      out.append("null");
    }
    out.append(",\"provenance\":");
    if (provenance.isPresent()) {
      out.append("{\"origin_workflow\":");
      stringOrNull(out, provenance.get().originWorkflow());
      out.append(",\"delegation_depth\":");
      number(out, provenance.get().delegationDepth());
      out.append('}');
    } else {
      out.append("null");
    }
    text(out, ',', "signature_algo", signatureAlgo);
    text(out, ',', "public_key", publicKey);
    return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void text(StringBuilder out, char before, String name, String value) {
    out.append(before).append('"').append(name).append("\":");
    PythonJson.appendString(out, value);
  }

  private static void optional(StringBuilder out, String name, Optional<String> value) {
    out.append(",\"").append(name).append("\":");
    stringOrNull(out, value);
  }

  private static void stringOrNull(StringBuilder out, Optional<String> value) {
    if (value.isPresent()) {
      PythonJson.appendString(out, value.get());
    } else {
      out.append("null");
    }
  }

  private static void number(StringBuilder out, Optional<Long> value) {
    if (value.isPresent()) {
      out.append(value.get().longValue());
    } else {
      out.append("null");
    }
  }

  /** The signed bytes as the model dump prints them, for checking {@link #signingPayload()}. */
  byte[] signingPayloadFromTree() {
    return PythonJson.dumpsCompact(tree(false)).getBytes(StandardCharsets.UTF_8);
  }

  private ObjectNode tree(boolean withSignature) {
    ObjectNode n = Json.object();
    n.put("packet_id", packetId);
    n.put("task_id", taskId);
    n.put("from_agent", fromAgent);
    n.put("to_agent", toAgent);
    n.put("issued_at", issuedAt.canonical());
    n.put("expires_at", expiresAt.canonical());
    n.put("nonce", nonce);
    putOptional(n, "capability_token", capabilityToken);
    n.put("intent", intent);
    putOptional(n, "task_type", taskType);
    putOptional(n, "goal", goal);
    n.set("context", context.deepCopy());
    ArrayNode refs = n.putArray("memory_refs");
    memoryRefs.forEach(refs::add);
    n.set("permissions", permissions.toJson());
    n.set("constraints", constraints.<JsonNode>map(Constraints::toJson).orElse(Json.nodes().nullNode()));
    n.set("provenance", provenance.<JsonNode>map(Provenance::toJson).orElse(Json.nodes().nullNode()));
    n.put("signature_algo", signatureAlgo);
    if (withSignature) {
      n.put("signature", signature);
    }
    n.put("public_key", publicKey);
    return n;
  }

  private static void putOptional(ObjectNode n, String name, Optional<String> value) {
    value.ifPresentOrElse(v -> n.put(name, v), () -> n.putNull(name));
  }

  @Override
  public String toString() {
    return "SignedTaskPacket[" + packetId + " " + fromAgent + " -> " + toAgent + "]";
  }
}
