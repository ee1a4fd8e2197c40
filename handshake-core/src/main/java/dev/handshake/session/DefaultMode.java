package dev.handshake.session;

import dev.handshake.json.Json;
import dev.handshake.session.internal.FieldRules;
import dev.handshake.session.internal.PythonValues;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code default} (generic) mode (hpp.md §2.7): opaque key/value data, no validation, no
 * ownership lock, never paced.
 */
public final class DefaultMode implements ModeHandler {
  public static final String NAME = "default";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean paced() {
    return false;
  }

  @Override
  public void setup(SessionState session, ObjectNode body, ModeContext context) {
    JsonNode source = body.path("context");
    String field = "context";
    if (!Json.truthy(source)) {
      source = body.path("data");
      field = "data";
    }
    if (!Json.truthy(source)) {
      return;
    }
    if (!source.isObject()) {
      throw new BadInput(field + " must be an object");
    }
    for (Map.Entry<String, JsonNode> e : source.properties()) {
      FieldRules.checkKeyLength(e.getKey(), context.config().maxKeyLength());
      session.data().put(e.getKey(), e.getValue());
    }
  }

  @Override
  public void writeContext(SessionState session, ObjectNode out, ModeContext context) {
    ObjectNode data = out.putObject("data");
    session.data().forEach(data::set);
  }

  @Override
  public ActionOutcome applyAction(SessionState session, ObjectNode action, ModeContext context) {
    JsonNode type = action.has("type") ? action.get("type") : Json.nodes().stringNode("set");
    if (!type.isString() || !type.stringValue().equals("set")) {
      String shown = type.isString() ? type.stringValue() : PythonValues.repr(type);
      return new ActionOutcome.Failed(
          FieldRules.actionError(action, "unsupported action type: " + shown));
    }
    JsonNode keyNode = action.path("key");
    if (keyNode.isNull() || keyNode.isMissingNode()) {
      return new ActionOutcome.Failed(FieldRules.actionError(action, "missing key"));
    }
    String key = keyNode.stringValue();
    Optional<ActionOutcome> vetoed = ActionOutcome.vetoed(context.runActionHooks(session, action), key);
    if (vetoed.isPresent()) {
      return vetoed.get();
    }
    // The reference reads the value after the hooks ran, so a hook may rewrite it (hpp.md §2.7).
    JsonNode value = action.path("value").isMissingNode() ? Json.nodes().nullNode() : action.get("value");
    JsonNode old = session.data().getOrDefault(key, Json.nodes().nullNode());
    session.data().put(key, value);
    session.recordChange(
        key, old, value, "agent", context.nowMicros(), context.config().historyLimit());
    return new ActionOutcome.Applied(key, value);
  }

  @Override
  public void writeActionExtras(SessionState session, ObjectNode response, ModeContext context) {}

  @Override
  public List<String> missing(SessionState session, ModeContext context) {
    return List.of();
  }

  @Override
  public boolean acceptsUserKey(SessionState session, String key, ModeContext context) {
    return true;
  }

  @Override
  public void userEdit(SessionState session, String key, JsonNode value, ModeContext context) {
    session.data().put(key, value);
    session.recordChange(
        key,
        Json.nodes().nullNode(),
        value,
        "user",
        context.nowMicros(),
        context.config().historyLimit());
  }
}
