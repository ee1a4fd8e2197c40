package dev.handshake.delegation;

import dev.handshake.json.Json;
import tools.jackson.databind.node.ObjectNode;

/** One advisory hop of a delegation chain: who delegated, and which permissions (unsigned). */
public record DelegationHop(String agentId, Permissions delegatedPermissions) {
  public ObjectNode toJson() {
    ObjectNode n = Json.object();
    n.put("agent_id", agentId);
    n.set("delegated_permissions", delegatedPermissions.toJson());
    return n;
  }
}
