package dev.handshake.delegation;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.identity.AgentIds;
import dev.handshake.json.Json;
import dev.handshake.json.PythonJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds and signs hand-off packets the way every receiver can verify them (trusthandoff.md §2.4
 * interop rule): every object inside {@code context} sorted by key, recursively, so the sorted
 * wire form does not break the signature (vector N06); UTC datetimes written with {@code Z}; no
 * floats anywhere in {@code context} (their text differs between JSON libraries).
 *
 * <pre>{@code
 * SignedTaskPacket p = TaskPacketBuilder.from(key)
 *     .to("agent:IvdnMc5sjkwg9iHP").intent("Research company background")
 *     .actions(List.of("read", "search")).maxToolCalls(3).expiresIn(Duration.ofMinutes(10))
 *     .sign(Clock.systemUTC());
 * }</pre>
 */
public final class TaskPacketBuilder {
  public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(10);

  private final Ed25519PrivateKey key;
  private String fromAgent;
  private Optional<String> toAgent = Optional.empty();
  private Optional<String> intent = Optional.empty();
  private Optional<String> packetId = Optional.empty();
  private Optional<String> taskId = Optional.empty();
  private Optional<String> nonce = Optional.empty();
  private Optional<String> capabilityToken = Optional.empty();
  private Optional<String> taskType = Optional.empty();
  private Optional<String> goal = Optional.empty();
  private ObjectNode context = Json.object();
  private List<String> memoryRefs = List.of();
  private List<String> actions = List.of();
  private Optional<Long> maxToolCalls = Optional.empty();
  private Optional<Constraints> constraints = Optional.empty();
  private Optional<Provenance> provenance = Optional.empty();
  private Duration lifetime = DEFAULT_LIFETIME;

  private TaskPacketBuilder(Ed25519PrivateKey key) {
    this.key = key;
    this.fromAgent = AgentIds.trustHandoff(key.publicKey());
  }

  /** A packet from the holder of {@code key}, claiming the TrustHandoff id derived from it. */
  public static TaskPacketBuilder from(Ed25519PrivateKey key) {
    return new TaskPacketBuilder(key);
  }

  /** Claims a registered id instead of the derived one (receivers then need a registry entry). */
  public TaskPacketBuilder fromAgent(String agentId) {
    this.fromAgent = requireText(agentId, "from_agent");
    return this;
  }

  public TaskPacketBuilder to(String agentId) {
    this.toAgent = Optional.of(requireText(agentId, "to_agent"));
    return this;
  }

  public TaskPacketBuilder intent(String text) {
    this.intent = Optional.of(text);
    return this;
  }

  public TaskPacketBuilder packetId(String id) {
    this.packetId = Optional.of(requireText(id, "packet_id"));
    return this;
  }

  public TaskPacketBuilder taskId(String id) {
    this.taskId = Optional.of(requireText(id, "task_id"));
    return this;
  }

  public TaskPacketBuilder nonce(String value) {
    this.nonce = Optional.of(requireText(value, "nonce"));
    return this;
  }

  public TaskPacketBuilder capabilityToken(String token) {
    this.capabilityToken = Optional.of(token);
    return this;
  }

  public TaskPacketBuilder taskType(String type) {
    this.taskType = Optional.of(type);
    return this;
  }

  public TaskPacketBuilder goal(String text) {
    this.goal = Optional.of(text);
    return this;
  }

  /**
   * The context, copied with every object's keys sorted.
   *
   * @throws IllegalArgumentException if it holds a float anywhere
   */
  public TaskPacketBuilder context(ObjectNode value) {
    this.context = (ObjectNode) sorted(value, "context");
    return this;
  }

  public TaskPacketBuilder memoryRefs(List<String> refs) {
    this.memoryRefs = List.copyOf(refs);
    return this;
  }

  public TaskPacketBuilder actions(List<String> allowed) {
    this.actions = List.copyOf(allowed);
    return this;
  }

  public TaskPacketBuilder maxToolCalls(long max) {
    if (max < 0) {
      throw new IllegalArgumentException("max_tool_calls must not be negative");
    }
    this.maxToolCalls = Optional.of(max);
    return this;
  }

  public TaskPacketBuilder constraints(Constraints value) {
    this.constraints = Optional.of(value);
    return this;
  }

  public TaskPacketBuilder provenance(Provenance value) {
    this.provenance = Optional.of(value);
    return this;
  }

  public TaskPacketBuilder expiresIn(Duration value) {
    if (!value.isPositive()) {
      throw new IllegalArgumentException("the lifetime must be positive");
    }
    this.lifetime = value;
    return this;
  }

  /**
   * Signs the packet, issued now.
   *
   * @throws IllegalStateException when {@code to} or {@code intent} was not set
   */
  public SignedTaskPacket sign(Clock clock) {
    Instant now = clock.instant();
    SignedTaskPacket unsigned =
        new SignedTaskPacket(
            packetId.orElseGet(() -> "pk_" + uuidHex()),
            taskId.orElseGet(() -> "task_" + uuidHex()),
            fromAgent,
            toAgent.orElseThrow(() -> new IllegalStateException("to_agent is required")),
            HandoffTime.utc(now),
            HandoffTime.utc(now.plus(lifetime)),
            nonce.orElseGet(() -> "nonce_" + uuidHex()),
            capabilityToken,
            intent.orElseThrow(() -> new IllegalStateException("intent is required")),
            taskType,
            goal,
            context,
            memoryRefs,
            new Permissions(actions, maxToolCalls),
            constraints,
            provenance,
            SignedTaskPacket.ED25519,
            "",
            PublicKeyPem.of(key.publicKey()),
            Set.of());
    return PacketSignatures.sign(unsigned, key);
  }

  private static String uuidHex() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  private static String requireText(String value, String field) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException(field + " must not be empty");
    }
    return value;
  }

  /** A copy with object keys sorted by code point (as Python sorts str), refusing floats. */
  static JsonNode sorted(JsonNode value, String path) {
    if (value.isObject()) {
      Map<String, JsonNode> members = new TreeMap<>(PythonJson.keyOrder());
      value.properties().forEach(e -> members.put(e.getKey(), e.getValue()));
      ObjectNode out = Json.object();
      members.forEach((k, v) -> out.set(k, sorted(v, path + "." + k)));
      return out;
    }
    if (value.isArray()) {
      ArrayNode out = Json.nodes().arrayNode();
      List<JsonNode> items = new ArrayList<>();
      value.forEach(items::add);
      for (int i = 0; i < items.size(); i++) {
        out.add(sorted(items.get(i), path + "[" + i + "]"));
      }
      return out;
    }
    if (value.isFloatingPointNumber() || value.isPojo()) {
      throw new IllegalArgumentException(
          path + " is a float; signed packets carry no floats (their text is not portable)");
    }
    return value.deepCopy();
  }
}
