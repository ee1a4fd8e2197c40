package dev.handshake.audit;

import dev.handshake.crypto.Base58;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.identity.AgentIds;
import dev.handshake.json.PythonJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One known peer of the A2A {@link PeerRegistry}, in the reference's {@code peers.json} entry shape
 * (aiss.md §2.5): {@code identity{version, agent_id, public_key (Base58), algorithm,
 * capabilities}}, {@code first_seen}, {@code last_seen}, {@code interaction_count}, and once a
 * score was computed {@code trust_score}, {@code trust_tier}, {@code last_scored}. Entries read
 * from a reference file are kept exactly as read, unknown fields included.
 */
public final class PeerEntry {
  private final String agentId;
  private final ObjectNode json;

  PeerEntry(String agentId, ObjectNode json) {
    this.agentId = agentId;
    this.json = json.deepCopy();
  }

  /** The registry key (the reference keys {@code peers.json} by agent_id). */
  public String agentId() {
    return agentId;
  }

  /** {@code identity.public_key} as written (Base58), or "" when missing. */
  public String publicKeyText() {
    return json.path("identity").path("public_key").stringValue("");
  }

  /** The peer's key, or empty when {@code identity.public_key} is not Base58 of 32 bytes. */
  public Optional<Ed25519PublicKey> publicKey() {
    return Base58.decode(publicKeyText()).flatMap(Ed25519PublicKey::parse);
  }

  /**
   * Whether the entry is consistent: its key decodes and both the registry key and {@code
   * identity.agent_id} are derived from it. Entries we write always are; a reference file may hold
   * anything.
   */
  public boolean bound() {
    return publicKey()
        .map(k -> AgentIds.isAissIdOf(agentId, k)
            && agentId.equals(json.path("identity").path("agent_id").stringValue("")))
        .orElse(false);
  }

  public List<String> capabilities() {
    List<String> out = new ArrayList<>();
    json.path("identity").path("capabilities").forEach(c -> out.add(c.stringValue("")));
    return List.copyOf(out);
  }

  public OptionalLong firstSeen() {
    return integer("first_seen");
  }

  public OptionalLong lastSeen() {
    return integer("last_seen");
  }

  /** Verified handshakes with this peer (0 when the field is missing, as the reference reads it). */
  public long interactionCount() {
    return integer("interaction_count").orElse(0);
  }

  /** The stored score; empty until one was computed (the reference would claim 1.0). */
  public OptionalDouble trustScore() {
    JsonNode t = json.path("trust_score");
    return t.isNumber() ? OptionalDouble.of(t.doubleValue()) : OptionalDouble.empty();
  }

  public Optional<String> trustTier() {
    JsonNode t = json.path("trust_tier");
    return t.isString() ? Optional.of(t.stringValue()) : Optional.empty();
  }

  private OptionalLong integer(String field) {
    JsonNode n = json.path(field);
    return n.isIntegralNumber() && n.canConvertToLong()
        ? OptionalLong.of(n.longValue())
        : OptionalLong.empty();
  }

  /** A copy of the entry as stored in {@code peers.json}. */
  public ObjectNode toJson() {
    return json.deepCopy();
  }

  ObjectNode view() {
    return json;
  }

  /** Equal when the stored JSON is (Jackson tells an int node from a long node; we do not). */
  @Override
  public boolean equals(Object o) {
    return o instanceof PeerEntry other
        && agentId.equals(other.agentId)
        && PythonJson.canonicalString(json).equals(PythonJson.canonicalString(other.json));
  }

  @Override
  public int hashCode() {
    return agentId.hashCode();
  }

  @Override
  public String toString() {
    return "PeerEntry[" + agentId + " " + publicKeyText() + "]";
  }
}
