package dev.handshake.audit.archive;

import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.archive.InvalidArchiveException.Reason;
import dev.handshake.crypto.Sha256;
import dev.handshake.identity.Passphrase;
import dev.handshake.identity.PbkdfSealedBlob;
import dev.handshake.json.CanonicalJson;
import dev.handshake.json.CanonicalJsonException;
import dev.handshake.json.Json;
import dev.handshake.zip.BoundedZip;
import dev.handshake.zip.ZipContents;
import dev.handshake.zip.ZipFormatException;
import dev.handshake.zip.ZipMember;
import dev.handshake.zip.ZipNames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@code .pqz} archive as read (aiss.md §2.7): the reference's members ({@code metadata.json},
 * {@code data.json} or the encrypted {@code data.enc}, {@code index.json}) and ours ({@code
 * identity.json}, {@code chain-head.json}), parsed but not yet judged — {@link ArchiveVerifier}
 * does that. Reading refuses only what cannot be read safely or at all ({@link
 * InvalidArchiveException}); {@code decrypt.py}, {@code verify.py} and {@code README.txt} are never
 * read or run.
 *
 * <pre>{@code
 * PqzArchive archive = PqzArchive.read(file, Optional.of(passphrase), ArchiveLimits.defaults());
 * ArchiveReport report = ArchiveVerifier.verify(archive, ArchiveVerifier.Options.defaults());
 * }</pre>
 *
 * @param entryNames every member name, in the ZIP's central-directory order
 * @param metadata {@code metadata.json}
 * @param index {@code index.json}, absent from archives older than the reference's version 1.1
 * @param encrypted whether the events were read from {@code data.enc}
 * @param dataSha256 hex SHA-256 of the data member's bytes, what {@code archive_checksum} names
 * @param events the events in archive order
 * @param identity {@code identity.json} (our archives), not yet validated
 * @param chainHead {@code chain-head.json} (our archives), not yet validated
 */
public record PqzArchive(
    List<String> entryNames,
    ObjectNode metadata,
    Optional<ObjectNode> index,
    boolean encrypted,
    String dataSha256,
    List<AuditEvent> events,
    Optional<ObjectNode> identity,
    Optional<ObjectNode> chainHead) {
  public static final String DATA_JSON = "data.json";
  public static final String DATA_ENC = "data.enc";
  public static final String INDEX = "index.json";
  public static final String METADATA = "metadata.json";
  public static final String IDENTITY = "identity.json";
  public static final String CHAIN_HEAD = "chain-head.json";
  public static final String README = "README.txt";

  private static final Set<String> READ =
      Set.of(DATA_JSON, DATA_ENC, INDEX, METADATA, IDENTITY, CHAIN_HEAD);

  public PqzArchive {
    entryNames = List.copyOf(entryNames);
    metadata = metadata.deepCopy();
    index = index.map(ObjectNode::deepCopy);
    events = List.copyOf(events);
    identity = identity.map(ObjectNode::deepCopy);
    chainHead = chainHead.map(ObjectNode::deepCopy);
  }

  /**
   * Reads {@code file} within {@code limits}. {@code passphrase} is needed only when the metadata
   * says the events are encrypted; it is not wiped here (the caller owns it).
   *
   * @throws InvalidArchiveException when the file is not a safe, complete {@code .pqz} archive or
   *     the events cannot be decrypted
   */
  public static PqzArchive read(Path file, Optional<Passphrase> passphrase, ArchiveLimits limits)
      throws IOException, InvalidArchiveException {
    ZipContents members;
    try {
      members = BoundedZip.read(file, limits.zipLimits(), ZipNames.PATHS, READ::contains);
    } catch (ZipFormatException e) {
      throw new InvalidArchiveException(e);
    }
    ObjectNode metadata =
        object(
            METADATA,
            bytes(members, METADATA)
                .orElseThrow(() -> malformed("missing " + METADATA + " (not a .pqz archive)")));
    if (members.member(DATA_JSON).isPresent() && members.member(DATA_ENC).isPresent()) {
      throw new InvalidArchiveException(
          Reason.UNSAFE,
          "both "
              + DATA_JSON
              + " and "
              + DATA_ENC
              + " are present; refusing an archive whose"
              + " readers could see different events");
    }
    // The reference's readers decide by Python truthiness of "encrypted"; so do we.
    boolean encrypted = Json.truthy(metadata.path("encrypted"));
    String dataName = encrypted ? DATA_ENC : DATA_JSON;
    byte[] data =
        bytes(members, dataName)
            .orElseThrow(() ->
                malformed(
                    "missing " + dataName + " (metadata.json says encrypted: " + encrypted + ")"));
    String checksum = Sha256.hex(data);
    byte[] plaintext = encrypted ? decrypt(data, checksum, metadata, passphrase) : data;
    List<AuditEvent> events;
    try {
      events = events(dataName, plaintext);
    } finally {
      if (encrypted) {
        Arrays.fill(plaintext, (byte) 0);
      }
    }
    return new PqzArchive(
        members.names(),
        metadata,
        optionalObject(members, INDEX),
        encrypted,
        checksum,
        events,
        optionalObject(members, IDENTITY),
        optionalObject(members, CHAIN_HEAD));
  }

  /** {@code metadata.exporter}: ours names {@code handshake/…}; the reference writes none. */
  public Optional<String> exporter() {
    return ArchiveMetadata.exporter(metadata);
  }

  /** Whether {@code archive_checksum} names the data member; empty when the metadata has none. */
  public Optional<Boolean> checksumMatches() {
    JsonNode stated = metadata.path("archive_checksum");
    // The reference skips the check when the field is missing or empty; so "absent".
    if (!Json.truthy(stated)) {
      return Optional.empty();
    }
    return Optional.of(stated.isString() && stated.stringValue().equals(dataSha256));
  }

  private static byte[] decrypt(
      byte[] blob, String checksum, ObjectNode metadata, Optional<Passphrase> passphrase)
      throws InvalidArchiveException {
    if (passphrase.isEmpty()) {
      throw new InvalidArchiveException(
          Reason.PASSPHRASE_REQUIRED,
          "the events are encrypted (" + DATA_ENC + "): a passphrase" + " is needed");
    }
    if (blob.length < PbkdfSealedBlob.OVERHEAD) {
      throw malformed(
          DATA_ENC
              + " is "
              + blob.length
              + " bytes, shorter than salt, nonce and tag ("
              + PbkdfSealedBlob.OVERHEAD
              + ")");
    }
    Optional<byte[]> plaintext = PbkdfSealedBlob.open(blob, passphrase.get());
    if (plaintext.isPresent()) {
      return plaintext.get();
    }
    JsonNode stated = metadata.path("archive_checksum");
    if (Json.truthy(stated) && !checksum.equals(stated.stringValue(""))) {
      throw new InvalidArchiveException(
          Reason.ALTERED,
          DATA_ENC + " was altered: it does not decrypt and does not match archive_checksum");
    }
    return plaintext.orElseThrow(() ->
        new InvalidArchiveException(
            Reason.WRONG_PASSPHRASE, "wrong passphrase (or " + DATA_ENC + " was altered)"));
  }

  private static List<AuditEvent> events(String name, byte[] bytes) throws InvalidArchiveException {
    JsonNode list = json(name, bytes);
    if (!list.isArray()) {
      throw malformed(name + " must be a JSON array of events");
    }
    List<AuditEvent> events = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof ObjectNode event)) {
        throw malformed(name + " element " + i + " is not a JSON object");
      }
      events.add(AuditEvent.of(event));
    }
    return events;
  }

  private static Optional<byte[]> bytes(ZipContents members, String name) {
    return members.member(name).map(ZipMember::bytes);
  }

  private static Optional<ObjectNode> optionalObject(ZipContents members, String name)
      throws InvalidArchiveException {
    Optional<byte[]> bytes = bytes(members, name);
    return bytes.isEmpty() ? Optional.empty() : Optional.of(object(name, bytes.get()));
  }

  private static ObjectNode object(String name, byte[] bytes) throws InvalidArchiveException {
    if (!(json(name, bytes) instanceof ObjectNode object)) {
      throw malformed(name + " must be a JSON object");
    }
    return object;
  }

  private static JsonNode json(String name, byte[] bytes) throws InvalidArchiveException {
    try {
      return CanonicalJson.parse(bytes);
    } catch (CanonicalJsonException e) {
      throw malformed(name + " is not valid JSON: " + e.getMessage());
    }
  }

  private static InvalidArchiveException malformed(String message) {
    return new InvalidArchiveException(Reason.MALFORMED, message);
  }
}
