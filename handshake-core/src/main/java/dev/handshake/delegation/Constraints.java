package dev.handshake.delegation;

import dev.handshake.json.Json;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/** Limits on how a task runs: a maximum runtime and a data boundary label, both optional. */
public record Constraints(Optional<Long> maxRuntimeSeconds, Optional<String> dataBoundary) {
  /** Declaration order, every key present. */
  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    maxRuntimeSeconds.ifPresentOrElse(
        n -> node.put("max_runtime_seconds", n), () -> node.putNull("max_runtime_seconds"));
    dataBoundary.ifPresentOrElse(s -> node.put("data_boundary", s), () -> node.putNull("data_boundary"));
    return node;
  }
}
