package dev.handshake.delegation;

import dev.handshake.json.Json;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/** Where a task came from: the originating workflow and the signer's claimed delegation depth. */
public record Provenance(Optional<String> originWorkflow, Optional<Long> delegationDepth) {
  /** Declaration order, every key present. */
  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    originWorkflow.ifPresentOrElse(s -> node.put("origin_workflow", s), () -> node.putNull("origin_workflow"));
    delegationDepth.ifPresentOrElse(
        n -> node.put("delegation_depth", n), () -> node.putNull("delegation_depth"));
    return node;
  }
}
