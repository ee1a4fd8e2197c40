package dev.handshake.audit;

import dev.handshake.json.Json;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the verifier found about one event: its hash, whether its signature verified and in which
 * encoding, and every problem and note, so a report names each bad event rather than the first.
 *
 * @param signature {@code valid}, {@code invalid}, {@code undecodable} or {@code no-key}
 * @param notes facts that are not failures (an unsigned annotation, a known reference defect)
 */
public record EventCheck(
    int index,
    String agentId,
    String eventType,
    String hash,
    String signature,
    Optional<SignatureEncoding> encoding,
    List<String> problems,
    List<String> notes) {

  public boolean ok() {
    return problems.isEmpty();
  }

  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("index", index);
    node.put("agent_id", agentId);
    node.put("event_type", eventType);
    node.put("event_hash", hash);
    node.put("signature", signature);
    encoding.ifPresentOrElse(e -> node.put("encoding", e.label()), () -> node.putNull("encoding"));
    node.put("valid", ok());
    ArrayNode p = node.putArray("problems");
    problems.forEach(p::add);
    ArrayNode n = node.putArray("notes");
    notes.forEach(n::add);
    return node;
  }
}
