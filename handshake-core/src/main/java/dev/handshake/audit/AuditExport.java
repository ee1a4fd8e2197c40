package dev.handshake.audit;

import dev.handshake.crypto.Sha256;
import dev.handshake.identity.IdentityDocument;
import dev.handshake.json.CanonicalJson;
import dev.handshake.json.CanonicalJsonException;
import dev.handshake.json.Json;
import dev.handshake.json.PythonJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An {@code AISS-1.0-AUDIT} export (aiss.md §2.7): identity, events, the unsigned {@code
 * chain_integrity_hash} and metadata, written exactly as the reference writes it (Python {@code
 * json.dumps(indent=2, ensure_ascii=False)}), so the reference's {@code piqrypt audit} reads ours
 * and we read theirs byte for byte.
 *
 * <p>Our extension: a top-level {@code "handshake"} object carrying the agent's signed {@link
 * ChainHead}, which reference readers ignore and which lets our verifier detect a truncated tail.
 * {@link #referenceExact} leaves it out.
 *
 * @param identityJson the identity object as written or read (kept verbatim for byte identity)
 * @param exporter the {@code metadata.exporter} text
 * @param head our signed head, if the export carries one
 */
public record AuditExport(
    ObjectNode identityJson,
    List<AuditEvent> events,
    String chainIntegrityHash,
    long exportedAt,
    String exporter,
    Optional<ChainHead> head) {
  public static final String SPEC = "AISS-1.0-AUDIT";
  public static final String EXPORTER = "handshake/0.1.0";
  public static final String REFERENCE_EXPORTER = "piqrypt/1.0.0";
  public static final String EXTENSION = "handshake";

  public AuditExport {
    identityJson = identityJson.deepCopy();
    events = List.copyOf(events);
  }

  /** An export of {@code events} with a freshly computed chain hash. */
  public static AuditExport of(
      IdentityDocument identity, List<AuditEvent> events, long exportedAt, Optional<ChainHead> head) {
    return new AuditExport(
        identity.toJson(), events, chainIntegrityHash(events), exportedAt, EXPORTER, head);
  }

  /** The same export without our extension and with the reference's exporter name. */
  public AuditExport referenceExact() {
    return new AuditExport(
        identityJson, events, chainIntegrityHash, exportedAt, REFERENCE_EXPORTER, Optional.empty());
  }

  /** Hex SHA-256 over the concatenated hex event hashes, in list order, with no separator. */
  public static String chainIntegrityHash(List<AuditEvent> events) {
    StringBuilder joined = new StringBuilder(events.size() * 64);
    events.forEach(e -> joined.append(e.hash()));
    return Sha256.hex(joined.toString().getBytes(StandardCharsets.US_ASCII));
  }

  /** Whether {@link #chainIntegrityHash} is the hash of the events as they are now. */
  public boolean chainIntegrityHashMatches() {
    return chainIntegrityHash.equals(chainIntegrityHash(events));
  }

  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("spec", SPEC);
    node.set("agent_identity", identityJson.deepCopy());
    ArrayNode list = node.putArray("events");
    events.forEach(e -> list.add(e.json()));
    node.put("chain_integrity_hash", chainIntegrityHash);
    node.put("exported_at", exportedAt);
    ObjectNode metadata = node.putObject("metadata");
    metadata.put("event_count", events.size());
    if (events.isEmpty()) {
      metadata.putNull("first_timestamp");
      metadata.putNull("last_timestamp");
    } else {
      metadata.set("first_timestamp", events.getFirst().view().path("timestamp").deepCopy());
      metadata.set("last_timestamp", events.getLast().view().path("timestamp").deepCopy());
    }
    metadata.put("exporter", exporter);
    head.ifPresent(h -> node.putObject(EXTENSION).set("chain_head", h.toJson()));
    return node;
  }

  /** The file bytes, laid out as the reference writes them. */
  public byte[] toBytes() {
    return PythonJson.dumpsIndented(toJson(), 2).getBytes(StandardCharsets.UTF_8);
  }

  /** Why an export file could not be read at all (as opposed to a chain that fails checks). */
  public static final class InvalidExportException extends Exception {
    public InvalidExportException(String message) {
      super(message);
    }
  }

  /**
   * Reads an export. Structural problems (not JSON, duplicate keys, wrong {@code spec}, missing
   * fields) throw; a chain hash that does not recompute is reported by {@link
   * #chainIntegrityHashMatches()} so the verifier can still say which events are bad.
   */
  public static AuditExport parse(byte[] bytes) throws InvalidExportException {
    JsonNode root;
    try {
      root = CanonicalJson.parse(bytes);
    } catch (CanonicalJsonException e) {
      throw new InvalidExportException("not a JSON audit export: " + e.getMessage());
    }
    if (!root.isObject()) {
      throw new InvalidExportException("an audit export is a JSON object");
    }
    String spec = root.path("spec").stringValue("");
    if (!spec.equals(SPEC)) {
      throw new InvalidExportException("spec must be " + SPEC + ", got " + abbreviate(spec));
    }
    JsonNode identity = root.path("agent_identity");
    if (!identity.isObject()) {
      throw new InvalidExportException("agent_identity must be an object");
    }
    JsonNode list = root.path("events");
    if (!list.isArray()) {
      throw new InvalidExportException("events must be an array");
    }
    List<AuditEvent> events = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      if (!list.get(i).isObject()) {
        throw new InvalidExportException("events[" + i + "] is not an object");
      }
      events.add(AuditEvent.of((ObjectNode) list.get(i)));
    }
    JsonNode hash = root.path("chain_integrity_hash");
    if (!hash.isString()) {
      throw new InvalidExportException("chain_integrity_hash is missing");
    }
    JsonNode exported = root.path("exported_at");
    Optional<ChainHead> head = ChainHead.parse(root.path(EXTENSION).path("chain_head"));
    return new AuditExport(
        (ObjectNode) identity,
        events,
        hash.stringValue(),
        exported.canConvertToLong() ? exported.asLong() : 0,
        root.path("metadata").path("exporter").stringValue(""),
        head);
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…";
  }
}
