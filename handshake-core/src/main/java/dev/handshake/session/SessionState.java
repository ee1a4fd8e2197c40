package dev.handshake.session;

import dev.handshake.crypto.SecretDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import dev.handshake.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The state of one session (hpp.md §2.4). Instances are mutable and are only touched inside
 * {@link SessionStore#update}, which gives the caller exclusive access; hooks and mode handlers
 * receive it there.
 */
public final class SessionState {
  private static final byte[] EMPTY_ARRAY = {'[', ']'};
  private final String id;
  private final SecretDigest token;
  private final @Nullable SecretDigest binding;
  private final JsonNode mode;
  private final String handler;
  private final long createdAtMicros;
  private byte[] schemaJson;
  private @Nullable ObjectNode meta;
  private @Nullable String owner;
  private long ttlSeconds;
  private long touchedAtMicros;
  private long extendedSeconds;
  private final FieldTable values = new FieldTable();
  private @Nullable LinkedHashMap<String, JsonNode> data;
  private @Nullable ArrayDeque<Change> changes;
  private long nextSeq = 1;

  public SessionState(
      String id,
      SecretDigest token,
      @Nullable SecretDigest binding,
      JsonNode mode,
      String handler,
      ArrayNode schema,
      ObjectNode meta,
      long ttlSeconds,
      long nowMicros) {
    this.id = id;
    this.token = token;
    this.binding = binding;
    this.mode = mode;
    this.handler = handler;
    this.schemaJson = schema.isEmpty() ? EMPTY_ARRAY : Json.bytes(schema);
    this.meta = meta.isEmpty() ? null : meta;
    this.ttlSeconds = ttlSeconds;
    this.createdAtMicros = nowMicros;
    this.touchedAtMicros = nowMicros;
  }

  public String id() {
    return id;
  }

  public SecretDigest token() {
    return token;
  }

  public Optional<SecretDigest> binding() {
    return Optional.ofNullable(binding);
  }

  /** The mode exactly as the creator sent it (a string, or {@code null} in the reference). */
  public JsonNode mode() {
    return mode;
  }

  /** The name of the mode handler serving this session. */
  public String handler() {
    return handler;
  }

  /**
   * The schema as the creator sent it, parsed afresh (it is kept serialised, which is most of
   * what makes an idle session small); changing the returned node changes nothing.
   */
  public ArrayNode schema() {
    if (schemaJson.length == 2) {
      return Json.mapper().createArrayNode();
    }
    return (ArrayNode) Json.mapper().readTree(schemaJson);
  }

  /** The schema's JSON bytes exactly as stored. */
  public byte[] schemaJson() {
    return schemaJson.clone();
  }

  public void setSchema(ArrayNode schema) {
    this.schemaJson = schema.isEmpty() ? EMPTY_ARRAY : Json.bytes(schema);
  }

  /** The creator's {@code meta}; a live view (hooks may change it). */
  public ObjectNode meta() {
    if (meta == null) {
      meta = Json.object();
    }
    return meta;
  }

  public void setMeta(ObjectNode meta) {
    this.meta = meta;
  }

  /** The host's notion of who owns the session; never set by the engine itself. */
  public Optional<String> owner() {
    return Optional.ofNullable(owner);
  }

  public void setOwner(@Nullable String owner) {
    this.owner = owner;
  }

  public long ttlSeconds() {
    return ttlSeconds;
  }

  public void setTtlSeconds(long ttlSeconds) {
    this.ttlSeconds = ttlSeconds;
  }

  public long createdAtMicros() {
    return createdAtMicros;
  }

  public long touchedAtMicros() {
    return touchedAtMicros;
  }

  public void touch(long nowMicros) {
    this.touchedAtMicros = nowMicros;
  }

  /** Seconds added by every extend so far. */
  public long extendedSeconds() {
    return extendedSeconds;
  }

  void addExtension(long seconds) {
    extendedSeconds += seconds;
    ttlSeconds += seconds;
  }

  /** Form-fill field values in insertion order. */
  public Map<String, FieldValue> values() {
    return values;
  }

  void reserveFields(int n) {
    values.ensureCapacity(n);
  }

  /** Default-mode data in insertion order. */
  public Map<String, JsonNode> data() {
    if (data == null) {
      data = new LinkedHashMap<>();
    }
    return data;
  }

  /** The retained change log, oldest first. */
  public List<Change> changes() {
    return changes == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(changes));
  }

  /** Appends a change, drops the oldest past {@code limit}, and refreshes the idle timer. */
  public Change recordChange(
      String key, JsonNode from, JsonNode to, String by, long nowMicros, int limit) {
    if (changes == null) {
      changes = new ArrayDeque<>();
    }
    Change c = new Change(nextSeq++, key, from, to, by, nowMicros);
    changes.addLast(c);
    while (changes.size() > limit) {
      changes.pollFirst();
    }
    touchedAtMicros = nowMicros;
    return c;
  }

  /** The sequence number the next recorded change gets. */
  long nextSeq() {
    return nextSeq;
  }

  /**
   * Restores what the constructor cannot set, for {@link SessionStateCodec}: a stored session is
   * rebuilt with its creation time and then given back its idle timer, extensions and change log.
   */
  void restore(long touchedAtMicros, long extendedSeconds, List<Change> changeLog, long nextSeq) {
    this.touchedAtMicros = touchedAtMicros;
    this.extendedSeconds = extendedSeconds;
    this.changes = changeLog.isEmpty() ? null : new ArrayDeque<>(changeLog);
    this.nextSeq = nextSeq;
  }

  @Override
  public String toString() {
    return "SessionState[id=" + id + ", handler=" + handler + "]";
  }
}
