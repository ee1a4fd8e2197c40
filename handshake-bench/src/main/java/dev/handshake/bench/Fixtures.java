package dev.handshake.bench;

import dev.handshake.json.Json;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Request bodies shared by the benchmarks: a 10-field form-fill session and a 10-field action. */
final class Fixtures {
  private Fixtures() {}

  static ObjectNode formFill10() {
    ObjectNode body = Json.object();
    body.put("mode", "form-fill");
    ArrayNode schema = body.putArray("schema");
    ObjectNode ctx = body.putObject("context");
    for (int i = 0; i < 10; i++) {
      schema.addObject().put("key", "field" + i).put("type", "string").put("required", i < 5).put("label", "Field " + i);
      ctx.putNull("field" + i);
    }
    return body;
  }

  static ObjectNode action10(boolean stream) {
    ObjectNode body = Json.object();
    ArrayNode actions = body.putArray("actions");
    for (int i = 0; i < 10; i++) {
      actions.addObject().put("type", "set").put("key", "field" + i).put("value", "value " + i);
    }
    body.put("stream", stream);
    body.put("intervalMs", 0);
    return body;
  }
}
