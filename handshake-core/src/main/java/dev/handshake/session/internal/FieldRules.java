package dev.handshake.session.internal;

import dev.handshake.json.Json;
import dev.handshake.session.ModeHandler.BadInput;
import dev.handshake.session.SessionHooks.FieldValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The form-fill type rules and error-entry shapes of hpp.md §2.3.3 and §2.7. */
public final class FieldRules {
  // Python's re.match with \d matches any Unicode decimal digit, hence UNICODE_CHARACTER_CLASS.
  private static final Pattern DATETIME =
      Pattern.compile(
          "\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}", Pattern.UNICODE_CHARACTER_CLASS);

  private FieldRules() {}

  /** Rejects schema entries the reference would crash on, with our 400 messages. */
  public static void checkField(JsonNode f, int maxKeyLength) {
    if (!f.isObject() || !f.path("key").isString()) {
      throw new BadInput("schema fields must be objects with a string key");
    }
    checkKeyLength(f.get("key").stringValue(), maxKeyLength);
    JsonNode type = f.path("type");
    if (!type.isMissingNode() && !type.isString()) {
      throw new BadInput("field type must be a string");
    }
    JsonNode options = f.path("options");
    if (!options.isMissingNode() && !options.isNull()) {
      if (!options.isArray()) {
        throw new BadInput("options must be objects");
      }
      for (JsonNode o : options) {
        if (!o.isObject()) {
          throw new BadInput("options must be objects");
        }
      }
    }
  }

  public static void checkKeyLength(String key, int maxKeyLength) {
    if (key.length() > maxKeyLength) {
      throw new BadInput("key too long");
    }
  }

  /** The first schema field whose key equals {@code key}. */
  public static Optional<JsonNode> field(ArrayNode schema, String key) {
    for (JsonNode f : schema) {
      JsonNode k = f.path("key");
      if (k.isString() && k.stringValue().equals(key)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /** The reference's validation message for {@code value} in {@code field}, if it fails. */
  public static Optional<String> validate(
      JsonNode field, JsonNode value, Optional<FieldValidator> custom) {
    String ftype = field.path("type").isString() ? field.get("type").stringValue() : "string";
    boolean ok = custom.map(v -> v.valid(value, ftype)).orElseGet(() -> typeMatches(value, ftype));
    if (!ok) {
      return Optional.of("type mismatch, expected " + ftype);
    }
    if (ftype.equals("enum")) {
      List<JsonNode> options = new ArrayList<>();
      for (JsonNode o : field.path("options")) {
        options.add(o.path("value").isMissingNode() ? Json.nodes().nullNode() : o.get("value"));
      }
      if (!options.isEmpty() && options.stream().noneMatch(o -> PythonValues.equal(value, o))) {
        ArrayNode shown = Json.mapper().createArrayNode();
        options.forEach(shown::add);
        return Optional.of("value not in allowed options " + PythonValues.repr(shown));
      }
    }
    return Optional.empty();
  }

  /** The reference type rules (absent {@code type} means string). */
  public static boolean typeMatches(JsonNode value, String ftype) {
    return switch (ftype) {
      case "string", "str" -> value.isString();
      case "int", "integer" -> value.isIntegralNumber();
      case "float", "number" -> value.isNumber();
      case "bool", "boolean" -> value.isBoolean();
      case "datetime" -> value.isString() && DATETIME.matcher(value.stringValue()).lookingAt();
      default -> !ftype.startsWith("array") || value.isArray();
    };
  }

  public static ObjectNode actionError(ObjectNode action, String msg) {
    ObjectNode e = Json.object();
    e.set("action", action);
    e.put("msg", msg);
    return e;
  }

  public static ObjectNode keyError(String key, String msg) {
    ObjectNode e = Json.object();
    e.put("key", key);
    e.put("msg", msg);
    return e;
  }
}
