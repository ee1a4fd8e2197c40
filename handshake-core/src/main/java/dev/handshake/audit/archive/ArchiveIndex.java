package dev.handshake.audit.archive;

import dev.handshake.audit.AuditEvent;
import dev.handshake.json.Json;
import dev.handshake.json.PythonJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code index.json} member (aiss.md §2.7, {@code AISS-INDEX-1.0}) that the reference's {@code
 * decrypt.py} searches without decrypting: per event its {@code offset} and {@code length} in
 * Python's {@code json.dumps(event)} form (one after the other, not positions in {@code
 * data.json}), {@code timestamp}, {@code event_type}, the first 16 hex digits of the event hash and
 * the first 8 characters of the nonce. Nothing in it is signed, so a reader checks it by rebuilding
 * it from the events ({@link #problems}).
 */
final class ArchiveIndex {
  static final String VERSION = "AISS-INDEX-1.0";
  private static final int MAX_REPORTED = 10;
  private static final DateTimeFormatter ISO_SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

  private ArchiveIndex() {}

  /**
   * The index of {@code events} as the reference writes it; {@code period} is {@link #period}'s
   * value (the reference uses the current time for an archive without timestamps).
   */
  static ObjectNode build(
      List<AuditEvent> events, String agentId, boolean encrypted, Period period) {
    ObjectNode index = Json.object();
    index.put("version", VERSION);
    index.put("total_events", events.size());
    ObjectNode range = index.putObject("period");
    range.put("start", period.start());
    range.put("end", period.end());
    index.put("agent_id", agentId);
    index.put("encrypted", encrypted);
    ArrayNode entries = index.putArray("events_index");
    long offset = 0;
    for (AuditEvent event : events) {
      ObjectNode json = event.json();
      // Pure ASCII (ensure_ascii), so the character count is the byte count.
      long length = PythonJson.dumpsDefault(json).getBytes(StandardCharsets.US_ASCII).length;
      ObjectNode entry = entries.addObject();
      entry.put("offset", offset);
      entry.put("length", length);
      entry.set(
          "timestamp", json.has("timestamp") ? json.get("timestamp") : Json.nodes().nullNode());
      entry.set("event_type", eventType(json));
      entry.put("event_hash", prefix(event.hash(), 16));
      entry.put("nonce", prefix(json.path("nonce").stringValue(""), 8));
      offset += length;
    }
    return index;
  }

  /**
   * Where {@code index} disagrees with the index rebuilt from {@code events}; empty when it agrees.
   * The period is compared only when {@code period} could be computed from the events.
   */
  static List<String> problems(
      JsonNode index,
      List<AuditEvent> events,
      String agentId,
      boolean encrypted,
      Optional<Period> period) {
    List<String> out = new ArrayList<>();
    if (!index.isObject()) {
      out.add("index.json is not a JSON object");
      return out;
    }
    ObjectNode expected = build(events, agentId, encrypted, period.orElse(new Period("", "")));
    for (String field : List.of("version", "total_events", "agent_id", "encrypted")) {
      compare("index.json " + field, index.path(field), expected.path(field), out);
    }
    if (period.isPresent()) {
      compare("index.json period", index.path("period"), expected.path("period"), out);
    }
    JsonNode entries = index.path("events_index");
    if (!entries.isArray()) {
      out.add("index.json events_index is not an array");
      return out;
    }
    if (entries.size() != events.size()) {
      out.add(
          "index.json lists " + entries.size() + " events but the archive holds " + events.size());
    }
    int reported = 0;
    int hidden = 0;
    for (int i = 0; i < Math.min(entries.size(), events.size()); i++) {
      List<String> entryProblems = new ArrayList<>();
      JsonNode want = expected.path("events_index").get(i);
      for (String field :
          List.of("offset", "length", "timestamp", "event_type", "event_hash", "nonce")) {
        compare(
            "index.json entry " + i + " " + field,
            entries.get(i).path(field),
            want.path(field),
            entryProblems);
      }
      for (String problem : entryProblems) {
        if (reported < MAX_REPORTED) {
          out.add(problem);
          reported++;
        } else {
          hidden++;
        }
      }
    }
    if (hidden > 0) {
      out.add("index.json: " + hidden + " more entry differences");
    }
    return out;
  }

  /**
   * The first and last ISO 8601 times of an archive, as {@code period_start}/{@code period_end}.
   */
  record Period(String start, String end) {}

  /**
   * The reference's period: the smallest and largest truthy {@code timestamp}, as {@code
   * datetime.fromtimestamp(ts, tz=utc).isoformat()}. Empty when some timestamp is not an integer
   * Python can format (the reference would fail or print fractions) or there is none.
   */
  static Optional<Period> period(List<AuditEvent> events) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (AuditEvent event : events) {
      OptionalLong seconds = event.timestamp();
      if (seconds.isEmpty()) {
        if (Json.truthy(event.json().path("timestamp"))) {
          return Optional.empty();
        }
        continue;
      }
      if (seconds.getAsLong() == 0) {
        continue;
      }
      if (iso(seconds.getAsLong()).isEmpty()) {
        return Optional.empty();
      }
      min = Math.min(min, seconds.getAsLong());
      max = Math.max(max, seconds.getAsLong());
    }
    if (min > max) {
      return Optional.empty();
    }
    return Optional.of(new Period(iso(min).orElseThrow(), iso(max).orElseThrow()));
  }

  /** {@code datetime.fromtimestamp(seconds, tz=timezone.utc).isoformat()}, for years 1 to 9999. */
  static Optional<String> iso(long seconds) {
    if (seconds < -62135596800L || seconds > 253402300799L) {
      return Optional.empty();
    }
    LocalDateTime time = LocalDateTime.ofInstant(Instant.ofEpochSecond(seconds), ZoneOffset.UTC);
    return Optional.of(ISO_SECONDS.format(time) + "+00:00");
  }

  /** Python's {@code payload.get("event_type") or payload.get("type")}, JSON null for None. */
  private static JsonNode eventType(ObjectNode event) {
    JsonNode payload = event.path("payload");
    if (!payload.isObject()) {
      return Json.nodes().nullNode();
    }
    JsonNode type = payload.path("event_type");
    if (Json.truthy(type)) {
      return type;
    }
    JsonNode other = payload.path("type");
    return other.isMissingNode() ? Json.nodes().nullNode() : other;
  }

  /** The first {@code n} code points, as Python's {@code text[:n]}. */
  static String prefix(String text, int n) {
    int end = text.offsetByCodePoints(0, Math.min(n, text.codePointCount(0, text.length())));
    return text.substring(0, end);
  }

  private static void compare(String what, JsonNode actual, JsonNode expected, List<String> out) {
    if (actual.isMissingNode()) {
      out.add(what + " is missing");
    } else if (!sameJson(actual, expected)) {
      out.add(what + " is " + abbreviate(actual) + ", expected " + abbreviate(expected));
    }
  }

  /** JSON equality regardless of the node classes (an int read back and a long built). */
  static boolean sameJson(JsonNode a, JsonNode b) {
    return PythonJson.dumpsSortedAscii(a).equals(PythonJson.dumpsSortedAscii(b));
  }

  private static String abbreviate(JsonNode value) {
    String text = PythonJson.dumpsDefault(value);
    return text.length() <= 80 ? text : text.substring(0, 80) + "…";
  }
}
