package dev.handshake.audit;

import dev.handshake.json.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The result of verifying a chain. The first seven fields are the reference's report keys with
 * the reference's meaning (aiss.md §2.4); the rest are ours (aiss.md §3 item 5).
 *
 * @param errors in the reference's wording; with {@link VerifyOptions#firstErrorPerCheck()} only
 *     the first per check, otherwise every failure with its event index
 * @param genesisForms per agent, the form of its first event's previous_hash
 * @param signatureEncodings how many signatures were read as each encoding
 * @param headValid empty when no signed head was supplied
 */
public record ChainReport(
    boolean valid,
    boolean signaturesValid,
    boolean chainValid,
    boolean timestampsValid,
    List<String> forksDetected,
    List<String> replayAttacks,
    List<String> errors,
    boolean agentBindingValid,
    boolean genesisValid,
    boolean structureValid,
    Map<String, GenesisForm> genesisForms,
    Map<SignatureEncoding, Integer> signatureEncodings,
    Optional<Boolean> headValid,
    List<EventCheck> events) {

  /** The seven keys the reference report has, in its order. */
  public ObjectNode toReferenceJson() {
    ObjectNode node = Json.object();
    node.put("valid", valid);
    node.put("signatures_valid", signaturesValid);
    node.put("chain_valid", chainValid);
    node.put("timestamps_valid", timestampsValid);
    ArrayNode forks = node.putArray("forks_detected");
    forksDetected.forEach(forks::add);
    ArrayNode replays = node.putArray("replay_attacks");
    replayAttacks.forEach(replays::add);
    ArrayNode errs = node.putArray("errors");
    errors.forEach(errs::add);
    return node;
  }

  /** The full report: the reference keys, ours, and one entry per event. */
  public ObjectNode toJson() {
    ObjectNode node = toReferenceJson();
    node.put("agent_binding_valid", agentBindingValid);
    node.put("genesis_valid", genesisValid);
    node.put("structure_valid", structureValid);
    ObjectNode forms = node.putObject("genesis_form");
    genesisForms.forEach((agent, form) -> forms.put(agent, form.label()));
    ObjectNode encodings = node.putObject("signature_encodings");
    for (SignatureEncoding e : SignatureEncoding.values()) {
      encodings.put(e.label(), signatureEncodings.getOrDefault(e, 0));
    }
    headValid.ifPresentOrElse(h -> node.put("head_valid", h), () -> node.putNull("head_valid"));
    node.put("event_count", events.size());
    ArrayNode list = node.putArray("events");
    events.forEach(e -> list.add(e.toJson()));
    return node;
  }
}
