package dev.handshake.store.redis;

import dev.handshake.json.Json;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One stored row as a small JSON object, the value format of the table-like Redis stores (pairing,
 * devices, flows, tokens): times as epoch milliseconds, absent optionals as absent members, sets
 * sorted so that equal rows are equal bytes.
 */
final class JsonRow {
  private final ObjectNode node;

  private JsonRow(ObjectNode node) {
    this.node = node;
  }

  static JsonRow create() {
    return new JsonRow(Json.object());
  }

  static JsonRow parse(byte[] stored) {
    JsonNode n = Json.mapper().readTree(stored);
    if (!(n instanceof ObjectNode o)) {
      throw new IllegalStateException("a stored row is not a JSON object");
    }
    return new JsonRow(o);
  }

  byte[] bytes() {
    return Json.bytes(node);
  }

  // ---- writing --------------------------------------------------------------------------------

  JsonRow put(String name, String value) {
    node.put(name, value);
    return this;
  }

  JsonRow put(String name, long value) {
    node.put(name, value);
    return this;
  }

  JsonRow put(String name, boolean value) {
    node.put(name, value);
    return this;
  }

  JsonRow put(String name, Instant value) {
    return put(name, value.toEpochMilli());
  }

  JsonRow putString(String name, Optional<String> value) {
    value.ifPresent(v -> node.put(name, v));
    return this;
  }

  JsonRow putInstant(String name, Optional<Instant> value) {
    value.ifPresent(v -> node.put(name, v.toEpochMilli()));
    return this;
  }

  JsonRow put(String name, Collection<String> values) {
    ArrayNode a = node.putArray(name);
    values.stream().sorted().forEach(a::add);
    return this;
  }

  JsonRow put(String name, Map<String, String> values) {
    ObjectNode o = node.putObject(name);
    values.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> o.put(e.getKey(), e.getValue()));
    return this;
  }

  // ---- reading --------------------------------------------------------------------------------

  String string(String name) {
    JsonNode v = node.get(name);
    if (v == null || !v.isString()) {
      throw new IllegalStateException("a stored row has no text '" + name + "'");
    }
    return v.stringValue();
  }

  Optional<String> optionalString(String name) {
    return node.has(name) ? Optional.of(string(name)) : Optional.empty();
  }

  long number(String name) {
    JsonNode v = node.get(name);
    if (v == null || !v.canConvertToLong()) {
      throw new IllegalStateException("a stored row has no number '" + name + "'");
    }
    return v.longValue();
  }

  boolean flag(String name) {
    JsonNode v = node.get(name);
    if (v == null || !v.isBoolean()) {
      throw new IllegalStateException("a stored row has no flag '" + name + "'");
    }
    return v.booleanValue();
  }

  Instant instant(String name) {
    return Instant.ofEpochMilli(number(name));
  }

  Optional<Instant> optionalInstant(String name) {
    return node.has(name) ? Optional.of(instant(name)) : Optional.empty();
  }

  Set<String> strings(String name) {
    Set<String> out = new LinkedHashSet<>();
    node.path(name).forEach(v -> out.add(v.stringValue()));
    return out;
  }

  Map<String, String> map(String name) {
    Map<String, String> out = new LinkedHashMap<>();
    node.path(name).properties().forEach(e -> out.put(e.getKey(), e.getValue().stringValue()));
    return out;
  }
}
