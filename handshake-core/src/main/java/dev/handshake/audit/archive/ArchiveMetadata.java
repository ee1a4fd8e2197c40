package dev.handshake.audit.archive;

import dev.handshake.identity.PbkdfSealedBlob;
import dev.handshake.json.Json;
import dev.handshake.json.PythonJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code metadata.json} member (aiss.md §2.7): the reference's fields in its order, which its
 * readers need ({@code encrypted} picks {@code data.enc} or {@code data.json}), plus our {@code
 * exporter}, which reference readers ignore. {@code archive_checksum} is an unkeyed SHA-256 of the
 * data member: it catches accidents, not forgers; our archives rely on the signatures instead.
 */
final class ArchiveMetadata {
  /** The reference's values, kept so that its readers see the archive they expect. */
  static final String PIQRYPT_VERSION = "1.2.0";

  static final String ARCHIVE_VERSION = "1.1";
  static final String ENCRYPTION = "AES-256-GCM";
  static final String KDF = "PBKDF2-SHA256";

  private ArchiveMetadata() {}

  /** Everything the metadata states about one archive. */
  record Fields(
      String createdAt,
      String agentId,
      int eventsCount,
      ArchiveIndex.Period period,
      boolean encrypted,
      String checksum,
      String label,
      String exporter) {}

  static ObjectNode build(Fields f) {
    ObjectNode m = Json.object();
    m.put("piqrypt_version", PIQRYPT_VERSION);
    m.put("archive_version", ARCHIVE_VERSION);
    m.put("created_at", f.createdAt());
    m.put("agent_id", f.agentId());
    m.put("agent_algorithm", "Ed25519");
    m.put("events_count", f.eventsCount());
    m.put("period_start", f.period().start());
    m.put("period_end", f.period().end());
    m.put("encrypted", f.encrypted());
    if (f.encrypted()) {
      m.put("encryption", ENCRYPTION);
      m.put("kdf", KDF);
      m.put("kdf_iterations", PbkdfSealedBlob.ITERATIONS);
    } else {
      m.putNull("encryption");
      m.putNull("kdf");
      m.putNull("kdf_iterations");
    }
    m.put("archive_checksum", f.checksum());
    m.put("label", f.label());
    m.put("exporter", f.exporter());
    return m;
  }

  /** {@code exporter} when the metadata names one (ours does, the reference's does not). */
  static Optional<String> exporter(JsonNode metadata) {
    JsonNode e = metadata.path("exporter");
    return e.isString() ? Optional.of(e.stringValue()) : Optional.empty();
  }

  /**
   * Where {@code metadata} disagrees with the archive it describes: the event count, the agent
   * (when an identity is known), the period (when computable), the encryption fields of an
   * encrypted archive and the algorithm. The checksum is reported separately.
   */
  static List<String> problems(
      JsonNode metadata,
      int eventCount,
      boolean encrypted,
      Optional<String> agentId,
      Optional<ArchiveIndex.Period> period) {
    List<String> out = new ArrayList<>();
    JsonNode count = metadata.path("events_count");
    if (!count.isIntegralNumber() || count.longValue() != eventCount) {
      out.add(
          "metadata.json events_count is "
              + shown(count)
              + " but the archive holds "
              + eventCount
              + " events");
    }
    JsonNode id = metadata.path("agent_id");
    agentId.ifPresent(expected -> {
      if (!id.isString() || !id.stringValue().equals(expected)) {
        out.add("metadata.json agent_id is " + shown(id) + ", not the identity's " + expected);
      }
    });
    JsonNode algorithm = metadata.path("agent_algorithm");
    if (!algorithm.isMissingNode() && !"Ed25519".equals(algorithm.stringValue(""))) {
      out.add("metadata.json agent_algorithm is " + shown(algorithm) + ", not Ed25519");
    }
    period.ifPresent(p -> {
      expect(metadata, "period_start", p.start(), out);
      expect(metadata, "period_end", p.end(), out);
    });
    if (encrypted) {
      expect(metadata, "encryption", ENCRYPTION, out);
      expect(metadata, "kdf", KDF, out);
      JsonNode iterations = metadata.path("kdf_iterations");
      if (!iterations.isMissingNode()
          && !(iterations.isIntegralNumber()
              && iterations.longValue() == PbkdfSealedBlob.ITERATIONS)) {
        out.add(
            "metadata.json kdf_iterations is "
                + shown(iterations)
                + "; the format has "
                + PbkdfSealedBlob.ITERATIONS);
      }
    }
    return out;
  }

  private static void expect(JsonNode metadata, String field, String value, List<String> out) {
    JsonNode actual = metadata.path(field);
    if (!actual.isString() || !actual.stringValue().equals(value)) {
      out.add("metadata.json " + field + " is " + shown(actual) + ", expected \"" + value + "\"");
    }
  }

  private static String shown(JsonNode value) {
    if (value.isMissingNode()) {
      return "missing";
    }
    String text = PythonJson.dumpsDefault(value);
    return text.length() <= 80 ? text : text.substring(0, 80) + "…";
  }
}
