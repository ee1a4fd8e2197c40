package dev.handshake.client;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Create bodies shared by the end-to-end tests. */
final class EndToEnd {
  private EndToEnd() {}

  /** A form-fill session with a required {@code name} and an optional numeric {@code amount}. */
  static ObjectNode expenseForm() {
    ObjectNode body = HppTransport.JSON.createObjectNode();
    body.put("mode", "form-fill");
    ArrayNode schema = body.putArray("schema");
    schema.addObject().put("key", "name").put("type", "string").put("required", true);
    schema.addObject().put("key", "amount").put("type", "number");
    return body;
  }

  /** A default-mode session with some initial data. */
  static ObjectNode defaultMode() {
    ObjectNode body = HppTransport.JSON.createObjectNode();
    body.put("mode", "default");
    body.putObject("data").put("city", "Paris");
    return body;
  }
}
