package dev.handshake.client.relay;

import dev.handshake.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Reads the relay's answers to {@code discover:*} queries (keep.md §2.7). */
final class DiscoveryReplies {
  private DiscoveryReplies() {}

  /**
   * The JSON object in {@code body}; an {@code error:*} body or one that is not a JSON object is a
   * {@link RelayReplyException} rather than a parse error (the SDK raised {@code JSONDecodeError}).
   */
  static JsonNode object(String query, String body) {
    if (body.startsWith("error:")) {
      throw new RelayReplyException("relay refused discover:" + query, body);
    }
    return Json.tryParse(body.getBytes(StandardCharsets.UTF_8))
        .filter(JsonNode::isObject)
        .orElseThrow(
            () -> new RelayReplyException("discover:" + query + " did not answer a JSON object",
                body));
  }

  /** The {@code agents} list of a {@code discover:agents} answer; empty when absent. */
  static List<String> agents(JsonNode answer) {
    List<String> names = new ArrayList<>();
    for (JsonNode name : answer.path("agents")) {
      names.add(name.asString());
    }
    return List.copyOf(names);
  }
}
