package dev.handshake.delegation;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the fields of one reference model object with the reference's lax coercions (an integer
 * may arrive as a digit string or an integral float; a datetime as text or Unix seconds) and its
 * rules for missing and null values; anything else is a {@link MalformedPacketException} naming
 * the field.
 */
final class ModelFields {
  private static final Pattern INTEGER_TEXT = Pattern.compile("[+-]?\\d{1,18}");

  private final JsonNode node;
  private final String where;

  private ModelFields(JsonNode node, String where) {
    this.node = node;
    this.where = where;
  }

  static ModelFields of(JsonNode node, String where) throws MalformedPacketException {
    if (!node.isObject()) {
      throw new MalformedPacketException(where + " must be a JSON object");
    }
    return new ModelFields(node, where);
  }

  private String name(String field) {
    return where.isEmpty() ? field : where + "." + field;
  }

  private Optional<JsonNode> present(String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
  }

  private JsonNode required(String field) throws MalformedPacketException {
    JsonNode v = node.get(field);
    if (v == null) {
      throw new MalformedPacketException(name(field) + " is missing");
    }
    if (v.isNull()) {
      throw new MalformedPacketException(name(field) + " must not be null");
    }
    return v;
  }

  String string(String field) throws MalformedPacketException {
    return asString(field, required(field));
  }

  Optional<String> optionalString(String field) throws MalformedPacketException {
    Optional<JsonNode> v = present(field);
    return v.isEmpty() ? Optional.empty() : Optional.of(asString(field, v.get()));
  }

  private String asString(String field, JsonNode v) throws MalformedPacketException {
    if (!v.isString()) {
      throw new MalformedPacketException(name(field) + " must be a string");
    }
    return v.stringValue();
  }

  Optional<Long> optionalInteger(String field) throws MalformedPacketException {
    Optional<JsonNode> v = present(field);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    JsonNode n = v.get();
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      return Optional.of(n.longValue());
    }
    if (n.isFloatingPointNumber() && n.doubleValue() == Math.rint(n.doubleValue())
        && Math.abs(n.doubleValue()) < 0x1p53) {
      return Optional.of((long) n.doubleValue());
    }
    if (n.isString() && INTEGER_TEXT.matcher(n.stringValue()).matches()) {
      return Optional.of(new BigInteger(n.stringValue()).longValueExact());
    }
    throw new MalformedPacketException(name(field) + " must be an integer");
  }

  HandoffTime time(String field) throws MalformedPacketException {
    JsonNode v = required(field);
    return HandoffTime.parse(v)
        .orElseThrow(() -> new MalformedPacketException(name(field) + " is not a datetime"));
  }

  /** A list of strings; missing means the default {@code []}, null is refused as the model does. */
  List<String> strings(String field) throws MalformedPacketException {
    JsonNode v = node.get(field);
    if (v == null) {
      return List.of();
    }
    if (!v.isArray()) {
      throw new MalformedPacketException(name(field) + " must be an array of strings");
    }
    List<String> out = new ArrayList<>(v.size());
    for (JsonNode item : v) {
      if (!item.isString()) {
        throw new MalformedPacketException(name(field) + " must be an array of strings");
      }
      out.add(item.stringValue());
    }
    return out;
  }

  /** An object; missing means the default {@code {}}. */
  ObjectNode object(String field) throws MalformedPacketException {
    JsonNode v = node.get(field);
    if (v == null) {
      return dev.handshake.json.Json.object();
    }
    if (!v.isObject()) {
      throw new MalformedPacketException(name(field) + " must be a JSON object");
    }
    return (ObjectNode) v;
  }

  JsonNode requiredObject(String field) throws MalformedPacketException {
    JsonNode v = required(field);
    if (!v.isObject()) {
      throw new MalformedPacketException(name(field) + " must be a JSON object");
    }
    return v;
  }

  Optional<JsonNode> optionalObject(String field) throws MalformedPacketException {
    Optional<JsonNode> v = present(field);
    if (v.isPresent() && !v.get().isObject()) {
      throw new MalformedPacketException(name(field) + " must be a JSON object or null");
    }
    return v;
  }

  static Permissions permissions(JsonNode node, String where) throws MalformedPacketException {
    ModelFields f = of(node, where);
    return new Permissions(f.strings("allowed_actions"), f.optionalInteger("max_tool_calls"));
  }

  static Constraints constraints(JsonNode node, String where) throws MalformedPacketException {
    ModelFields f = of(node, where);
    return new Constraints(f.optionalInteger("max_runtime_seconds"), f.optionalString("data_boundary"));
  }

  static Provenance provenance(JsonNode node, String where) throws MalformedPacketException {
    ModelFields f = of(node, where);
    return new Provenance(f.optionalString("origin_workflow"), f.optionalInteger("delegation_depth"));
  }
}
