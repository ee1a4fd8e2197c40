package dev.handshake.audit.archive;

import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.AuditExport;
import dev.handshake.audit.ChainHead;
import dev.handshake.crypto.Sha256;
import dev.handshake.identity.IdentityDocument;
import dev.handshake.identity.Passphrase;
import dev.handshake.identity.PbkdfSealedBlob;
import dev.handshake.json.Json;
import dev.handshake.json.PythonJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import tools.jackson.databind.node.ArrayNode;

/**
 * Writes an agent's chain as a {@code .pqz} archive (aiss.md §2.7, §3 item 10) that the reference's
 * readers open ({@code data.json} or {@code data.enc}, {@code index.json} and {@code metadata.json}
 * in its layout) and that adds what the reference's archive lacks: the agent's {@code
 * identity.json} and its signed {@link ChainHead} ({@code chain-head.json}) covering every archived
 * event, so {@link ArchiveVerifier} checks every signature, link and the head.
 *
 * <p>Deterministic: members in a fixed order, every member dated {@code created_at} (the head's
 * timestamp, in UTC), no extra fields; the same chain and head give the same bytes with the same
 * JDK (the DEFLATE output is the JDK's zlib's). Encrypted archives differ on every write (fresh
 * salt and nonce). No {@code decrypt.py} or {@code verify.py}: archives carry no code; {@code
 * README.txt} says how to read and verify them.
 *
 * <pre>{@code
 * byte[] plain = PqzWriter.plain(identity, events, head, Optional.empty());
 * byte[] sealed =
 *     PqzWriter.encrypted(identity, events, head, Optional.empty(), passphrase, random);
 * }</pre>
 */
public final class PqzWriter {
  /** Names our archives in {@code metadata.exporter}; the verifier then expects our members. */
  public static final String EXPORTER = AuditExport.EXPORTER;

  private static final LocalDateTime ZIP_EARLIEST = LocalDateTime.of(1980, 1, 1, 0, 0);
  private static final LocalDateTime ZIP_LATEST = LocalDateTime.of(2107, 12, 31, 23, 59, 58);

  private PqzWriter() {}

  /** An archive with the events in clear ({@code data.json}). */
  public static byte[] plain(
      IdentityDocument identity, List<AuditEvent> events, ChainHead head, Optional<String> label) {
    check(identity, events, head);
    return write(identity, events, head, label, dataJson(events), false);
  }

  /**
   * An archive with the events sealed in {@code data.enc} under {@code passphrase} with the
   * reference's PBKDF2 + AES-256-GCM ({@link PbkdfSealedBlob}); metadata, index, identity and head
   * stay readable without it, as in the reference's archive.
   */
  public static byte[] encrypted(
      IdentityDocument identity,
      List<AuditEvent> events,
      ChainHead head,
      Optional<String> label,
      Passphrase passphrase,
      SecureRandom random) {
    check(identity, events, head);
    byte[] data = dataJson(events);
    try {
      return write(
          identity, events, head, label, PbkdfSealedBlob.seal(data, passphrase, random), true);
    } finally {
      Arrays.fill(data, (byte) 0);
    }
  }

  /** The head must be the identity's, signed by it, and cover exactly these events. */
  private static void check(IdentityDocument identity, List<AuditEvent> events, ChainHead head) {
    if (!identity.bound()) {
      throw new IllegalArgumentException("the identity's agent_id does not derive from its key");
    }
    if (!head.agentId().equals(identity.agentId()) || !head.verify(identity.publicKey())) {
      throw new IllegalArgumentException("the head is not signed by the archived identity");
    }
    if (head.eventCount() != events.size()
        || (!events.isEmpty() && !events.getLast().hash().equals(head.headEventHash()))) {
      throw new IllegalArgumentException(
          "the head covers "
              + head.eventCount()
              + " events, not exactly the "
              + events.size()
              + " archived");
    }
    for (AuditEvent event : events) {
      if (!event.agentId().equals(identity.agentId())) {
        throw new IllegalArgumentException(
            "an archive holds one agent's chain; found an event of " + event.agentId());
      }
    }
  }

  private static byte[] dataJson(List<AuditEvent> events) {
    ArrayNode list = Json.nodes().arrayNode();
    events.forEach(e -> list.add(e.json()));
    return PythonJson.dumpsIndentedAscii(list, 2).getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] write(
      IdentityDocument identity,
      List<AuditEvent> events,
      ChainHead head,
      Optional<String> label,
      byte[] data,
      boolean encrypted) {
    String createdAt =
        ArchiveIndex.iso(head.timestamp())
            .orElseThrow(() ->
                new IllegalArgumentException(
                    "head timestamp " + head.timestamp() + " is out of range"));
    ArchiveIndex.Period period =
        ArchiveIndex.period(events).orElse(new ArchiveIndex.Period(createdAt, createdAt));
    String agentId = identity.agentId();
    Map<String, byte[]> members = new LinkedHashMap<>();
    members.put(encrypted ? PqzArchive.DATA_ENC : PqzArchive.DATA_JSON, data);
    members.put(PqzArchive.INDEX, ascii(ArchiveIndex.build(events, agentId, encrypted, period)));
    members.put(
        PqzArchive.METADATA,
        ascii(
            ArchiveMetadata.build(
                new ArchiveMetadata.Fields(
                    createdAt,
                    agentId,
                    events.size(),
                    period,
                    encrypted,
                    Sha256.hex(data),
                    label.orElse("archive-" + createdAt.substring(0, 10).replace("-", "")),
                    EXPORTER))));
    members.put(PqzArchive.IDENTITY, utf8(Json.pretty(identity.toJson())));
    members.put(PqzArchive.CHAIN_HEAD, utf8(Json.pretty(head.toJson())));
    members.put(PqzArchive.README, utf8(ArchiveReadme.text(agentId, events.size(), encrypted)));
    return zip(members, zipTime(head.timestamp()));
  }

  private static byte[] zip(Map<String, byte[]> members, LocalDateTime time) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
      for (Map.Entry<String, byte[]> member : members.entrySet()) {
        ZipEntry entry = new ZipEntry(member.getKey());
        // Local DOS time without a zone: the same bytes on every machine, no extended fields.
        entry.setTimeLocal(time);
        zip.putNextEntry(entry);
        zip.write(member.getValue());
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return bytes.toByteArray();
  }

  /** {@code seconds} in UTC, clamped to what a DOS timestamp holds. */
  private static LocalDateTime zipTime(long seconds) {
    LocalDateTime time = LocalDateTime.ofInstant(Instant.ofEpochSecond(seconds), ZoneOffset.UTC);
    if (time.isBefore(ZIP_EARLIEST)) {
      return ZIP_EARLIEST;
    }
    return time.isAfter(ZIP_LATEST) ? ZIP_LATEST : time;
  }

  private static byte[] ascii(tools.jackson.databind.JsonNode json) {
    return PythonJson.dumpsIndentedAscii(json, 2).getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
