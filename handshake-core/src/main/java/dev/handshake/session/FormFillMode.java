package dev.handshake.session;

import dev.handshake.json.Json;
import dev.handshake.session.internal.FieldRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code form-fill} mode (hpp.md §2.7): a schema with the reference's type rules, per-field
 * ownership that keeps the person's edits safe from the agent, and missing-field detection.
 */
public final class FormFillMode implements ModeHandler {
  public static final String NAME = "form-fill";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean paced() {
    return true;
  }

  @Override
  public void setup(SessionState session, ObjectNode body, ModeContext context) {
    SessionConfig config = context.config();
    JsonNode schema = body.path("schema");
    ArrayNode fields = Json.mapper().createArrayNode();
    if (Json.truthy(schema)) {
      if (!schema.isArray()) {
        throw new BadInput("schema must be a list");
      }
      if (schema.size() > config.maxSchemaFields()) {
        throw new BadInput("too many schema fields");
      }
      for (JsonNode f : schema) {
        FieldRules.checkField(f, config.maxKeyLength());
      }
      fields = (ArrayNode) schema;
    }
    session.setSchema(fields);
    JsonNode ctx = body.path("context");
    if (Json.truthy(ctx)) {
      if (!ctx.isObject()) {
        throw new BadInput("context must be an object");
      }
      long now = context.nowMicros();
      session.reserveFields(ctx.size());
      for (Map.Entry<String, JsonNode> e : ctx.properties()) {
        FieldRules.checkKeyLength(e.getKey(), config.maxKeyLength());
        JsonNode v = e.getValue();
        FieldOwner by = Json.isEmptyValue(v) ? FieldOwner.EMPTY : FieldOwner.USER;
        session.values().put(e.getKey(), new FieldValue(v, by, now));
      }
    }
  }

  @Override
  public void writeContext(SessionState session, ObjectNode out, ModeContext context) {
    ArrayNode schema = context.schemaOf(session);
    out.set("schema", schema);
    out.set("context", contextNode(session));
    out.set("missing", stringArray(missing(session, schema)));
  }

  private static ObjectNode contextNode(SessionState session) {
    ObjectNode ctx = Json.object();
    for (Map.Entry<String, FieldValue> e : session.values().entrySet()) {
      FieldValue fv = e.getValue();
      ObjectNode entry = ctx.putObject(e.getKey());
      entry.set("value", fv.value());
      entry.put("by", fv.by().wire());
      entry.put("at", Timestamps.format(fv.atMicros()));
    }
    return ctx;
  }

  static ArrayNode stringArray(List<String> items) {
    ArrayNode a = Json.mapper().createArrayNode();
    items.forEach(a::add);
    return a;
  }

  @Override
  public ActionOutcome applyAction(SessionState session, ObjectNode action, ModeContext context) {
    JsonNode type = action.path("type");
    if (!type.isString() || !type.stringValue().equals("set")) {
      return new ActionOutcome.Failed(FieldRules.actionError(action, "unsupported action type"));
    }
    JsonNode keyNode = action.path("key");
    if (keyNode.isNull() || keyNode.isMissingNode()) {
      return new ActionOutcome.Failed(FieldRules.actionError(action, "missing key"));
    }
    String key = keyNode.stringValue();
    JsonNode value = action.path("value").isMissingNode() ? Json.nodes().nullNode() : action.get("value");
    Optional<ActionOutcome> vetoed = ActionOutcome.vetoed(context.runActionHooks(session, action), key);
    if (vetoed.isPresent()) {
      return vetoed.get();
    }
    Optional<JsonNode> field = FieldRules.field(context.schemaOf(session), key);
    if (field.isEmpty()) {
      if (!context.config().formFillAllowUnknownKeys()) {
        return new ActionOutcome.Rejected(
            key, Optional.of(FieldRules.keyError(key, "key not in schema")));
      }
    } else {
      Optional<String> problem = FieldRules.validate(field.get(), value, context.validator());
      if (problem.isPresent()) {
        return new ActionOutcome.Failed(FieldRules.keyError(key, problem.get()));
      }
    }
    FieldValue current = session.values().get(key);
    if (current != null && current.by().lockedAgainstAi()) {
      return new ActionOutcome.Rejected(key, Optional.empty());
    }
    write(session, key, value, FieldOwner.AI, context);
    return new ActionOutcome.Applied(key, value);
  }

  private static void write(
      SessionState session, String key, JsonNode value, FieldOwner by, ModeContext context) {
    FieldValue current = session.values().get(key);
    JsonNode old = current == null ? Json.nodes().nullNode() : current.value();
    long now = context.nowMicros();
    session.values().put(key, new FieldValue(value, by, now));
    session.recordChange(key, old, value, by.wire(), now, context.config().historyLimit());
  }

  @Override
  public void writeActionExtras(SessionState session, ObjectNode response, ModeContext context) {
    response.set("missing", stringArray(missing(session, context.schemaOf(session))));
    response.set("context", contextNode(session));
  }

  @Override
  public List<String> missing(SessionState session, ModeContext context) {
    return missing(session, context.schemaOf(session));
  }

  private static List<String> missing(SessionState session, ArrayNode schema) {
    List<String> missing = new ArrayList<>();
    for (JsonNode f : schema) {
      if (Json.truthy(f.path("required"))) {
        String key = f.path("key").stringValue();
        FieldValue fv = session.values().get(key);
        if (fv == null || Json.isEmptyValue(fv.value())) {
          missing.add(key);
        }
      }
    }
    return missing;
  }

  @Override
  public boolean acceptsUserKey(SessionState session, String key, ModeContext context) {
    return context.config().formFillAllowUnknownKeys()
        || FieldRules.field(context.schemaOf(session), key).isPresent();
  }

  @Override
  public void userEdit(SessionState session, String key, JsonNode value, ModeContext context) {
    FieldValue current = session.values().get(key);
    FieldOwner by =
        current != null && current.by() == FieldOwner.AI ? FieldOwner.USER_EDIT : FieldOwner.USER;
    write(session, key, value, by, context);
  }
}
