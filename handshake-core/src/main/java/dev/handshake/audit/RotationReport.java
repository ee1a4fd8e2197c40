package dev.handshake.audit;

import dev.handshake.json.Json;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The result of {@link KeyRotation#verify}: whether a key rotation event and the chain that
 * continues it hold together (aiss.md §3 item 14).
 *
 * @param proofOfPossession whether the payload carries {@code new_key_signature} (checked when
 *     present; a bad one makes the report {@link Status#INVALID})
 * @param linkageValid empty when the new chain has no events yet
 * @param problems every failure, empty unless {@link Status#INVALID}
 * @param newChain the new chain's verification, when it has events and the new key decodes
 */
public record RotationReport(
    Status status,
    String previousAgentId,
    String newAgentId,
    boolean proofOfPossession,
    Optional<Boolean> linkageValid,
    List<String> problems,
    Optional<ChainReport> newChain) {

  /** The verdict. */
  public enum Status {
    /** Both signatures verify and the new chain (if any) links to the rotation. */
    VALID("valid"),
    /**
     * Everything present verifies, but the new key never signed: a reference rotation. Anyone
     * holding the old key could have named this key, so do not treat it as the same identity
     * without other evidence.
     */
    NO_PROOF_OF_POSSESSION("no-proof-of-possession"),
    INVALID("invalid");

    private final String label;

    Status(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public RotationReport {
    problems = List.copyOf(problems);
  }

  public boolean valid() {
    return status == Status.VALID;
  }

  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("status", status.label());
    node.put("previous_agent_id", previousAgentId);
    node.put("new_agent_id", newAgentId);
    node.put("proof_of_possession", proofOfPossession);
    linkageValid.ifPresentOrElse(
        l -> node.put("linkage_valid", l), () -> node.putNull("linkage_valid"));
    ArrayNode list = node.putArray("problems");
    problems.forEach(list::add);
    return node;
  }
}
