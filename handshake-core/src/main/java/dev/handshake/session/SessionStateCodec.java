package dev.handshake.session;

import dev.handshake.crypto.SecretDigest;
import dev.handshake.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.util.RawValue;

/**
 * The stored form of a {@link SessionState}, for session stores outside this process (Redis, SQL):
 * one JSON document holding every field, including the token and binding digests (never the secrets
 * themselves, which are not kept anywhere).
 *
 * <p>{@code decode(encode(s))} is a session that behaves exactly like {@code s}: same field values
 * and owners in the same order, same change log, and the next change gets the next sequence number.
 * Documents carry a format version {@code "v"}; a document of another version is refused rather
 * than half-read.
 */
public final class SessionStateCodec {
  /** The format version written by {@link #encode}. */
  public static final int VERSION = 1;

  private static final FieldOwner[] OWNERS = FieldOwner.values();

  private SessionStateCodec() {}

  /** The session as one UTF-8 JSON document. */
  public static byte[] encode(SessionState s) {
    ObjectNode root = Json.object();
    root.put("v", VERSION);
    root.put("id", s.id());
    root.put("token", base64(s.token()));
    s.binding().ifPresent(b -> root.put("binding", base64(b)));
    root.set("mode", s.mode());
    root.put("handler", s.handler());
    root.putRawValue("schema", new RawValue(new String(s.schemaJson(), StandardCharsets.UTF_8)));
    root.set("meta", s.meta());
    s.owner().ifPresent(o -> root.put("owner", o));
    root.put("ttl", s.ttlSeconds());
    root.put("createdAt", s.createdAtMicros());
    root.put("touchedAt", s.touchedAtMicros());
    root.put("extended", s.extendedSeconds());
    ArrayNode values = root.putArray("values");
    for (Map.Entry<String, FieldValue> e : s.values().entrySet()) {
      FieldValue v = e.getValue();
      values.addArray().add(e.getKey()).add(v.value()).add(v.by().ordinal()).add(v.atMicros());
    }
    ObjectNode data = root.putObject("data");
    s.data().forEach(data::set);
    ArrayNode changes = root.putArray("changes");
    for (Change c : s.changes()) {
      changes
          .addArray()
          .add(c.seq())
          .add(c.key())
          .add(c.from())
          .add(c.to())
          .add(c.by())
          .add(c.atMicros());
    }
    root.put("nextSeq", s.nextSeq());
    return Json.mapper().writeValueAsBytes(root);
  }

  /**
   * Rebuilds a session from {@link #encode}'s output.
   *
   * @throws IllegalArgumentException if the bytes are not such a document (corrupt or another
   *     format version)
   */
  public static SessionState decode(byte[] stored) {
    try {
      JsonNode root = Json.mapper().readTree(stored);
      if (root == null || !root.isObject()) {
        throw new IllegalArgumentException("a stored session is a JSON object");
      }
      int version = root.path("v").asInt(-1);
      if (version != VERSION) {
        throw new IllegalArgumentException(
            "stored session has format version " + version + ", this build reads " + VERSION);
      }
      JsonNode binding = root.path("binding");
      JsonNode meta = root.path("meta");
      SessionState s =
          new SessionState(
              text(root, "id"),
              digest(text(root, "token")),
              binding.isString() ? digest(binding.stringValue()) : null,
              root.required("mode"),
              text(root, "handler"),
              (ArrayNode) root.required("schema"),
              meta.isObject() ? (ObjectNode) meta : Json.object(),
              root.required("ttl").longValue(),
              root.required("createdAt").longValue());
      JsonNode owner = root.path("owner");
      if (owner.isString()) {
        s.setOwner(owner.stringValue());
      }
      JsonNode values = root.required("values");
      s.reserveFields(values.size());
      for (JsonNode v : values) {
        int by = (int) number(v, 2);
        if (by < 0 || by >= OWNERS.length) {
          throw new IllegalArgumentException("unknown field owner " + by);
        }
        s.values().put(string(v, 0), new FieldValue(at(v, 1), OWNERS[by], number(v, 3)));
      }
      JsonNode data = root.required("data");
      if (!data.isEmpty()) {
        for (Map.Entry<String, JsonNode> e : data.properties()) {
          s.data().put(e.getKey(), e.getValue());
        }
      }
      List<Change> changes = new ArrayList<>();
      for (JsonNode c : root.required("changes")) {
        changes.add(
            new Change(number(c, 0), string(c, 1), at(c, 2), at(c, 3), string(c, 4), number(c, 5)));
      }
      s.restore(
          root.required("touchedAt").longValue(),
          root.required("extended").longValue(),
          changes,
          root.required("nextSeq").longValue());
      return s;
    } catch (JacksonException | ClassCastException e) {
      throw new IllegalArgumentException(
          "not a stored session: " + e.getClass().getSimpleName(), e);
    }
  }

  private static JsonNode at(JsonNode tuple, int i) {
    JsonNode n = tuple.get(i);
    if (n == null) {
      throw new IllegalArgumentException("a stored tuple is missing element " + i);
    }
    return n;
  }

  private static String string(JsonNode tuple, int i) {
    JsonNode n = at(tuple, i);
    if (!n.isString()) {
      throw new IllegalArgumentException("element " + i + " must be a string");
    }
    return n.stringValue();
  }

  private static long number(JsonNode tuple, int i) {
    JsonNode n = at(tuple, i);
    if (!n.isIntegralNumber()) {
      throw new IllegalArgumentException("element " + i + " must be an integer");
    }
    return n.longValue();
  }

  private static String text(JsonNode root, String field) {
    JsonNode n = root.required(field);
    if (!n.isString()) {
      throw new IllegalArgumentException(field + " must be a string");
    }
    return n.stringValue();
  }

  private static String base64(SecretDigest d) {
    return Base64.getEncoder().encodeToString(d.toBytes());
  }

  private static SecretDigest digest(String base64) {
    return SecretDigest.fromBytes(Base64.getDecoder().decode(base64));
  }
}
