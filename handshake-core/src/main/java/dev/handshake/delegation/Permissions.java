package dev.handshake.delegation;

import dev.handshake.json.Json;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a hand-off allows: the action names (kept in the signer's order, duplicates and all) and an
 * optional tool-call limit; empty means unlimited in the reference, which our chains refuse under
 * a limited parent (trusthandoff.md §3 item 4).
 */
public record Permissions(List<String> allowedActions, Optional<Long> maxToolCalls) {
  public Permissions {
    allowedActions = List.copyOf(allowedActions);
  }

  public static Permissions of(List<String> actions, long maxToolCalls) {
    return new Permissions(actions, Optional.of(maxToolCalls));
  }

  /** Declaration order, every key present. */
  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    ArrayNode actions = node.putArray("allowed_actions");
    allowedActions.forEach(actions::add);
    maxToolCalls.ifPresentOrElse(n -> node.put("max_tool_calls", n), () -> node.putNull("max_tool_calls"));
    return node;
  }
}
