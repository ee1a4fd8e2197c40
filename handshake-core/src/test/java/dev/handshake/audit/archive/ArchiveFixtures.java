package dev.handshake.audit.archive;

import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.ChainHead;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.identity.IdentityDocument;
import dev.handshake.json.CanonicalJson;
import dev.handshake.json.Json;
import dev.handshake.json.PythonJson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Test material for {@code .pqz} archives: the AISS vector chain ({@code chain.json}, agent A), ZIP
 * helpers that work on members directly, and a reference-shaped archive built from aiss.md §2.7 and
 * the reference's layout, independently of the production writer (its encryption uses the JDK's
 * PBKDF2 and AES-GCM, its index the numbers CPython printed for these events).
 */
final class ArchiveFixtures {
  static final JsonNode CHAIN = json("/vectors/aiss/chain.json");
  static final JsonNode VECTORS = json("/vectors/aiss/vectors.json");

  /** {@code chain.json} exported_at: when our head for the vector chain is signed. */
  static final long HEAD_TIME = 1767229200L;

  /** CPython {@code hashlib.sha256(json.dumps(events, indent=2).encode()).hexdigest()}. */
  static final String REFERENCE_DATA_SHA256 =
      "71c8bc81ed4e5a1ee6f1c6bf84845b257d65c3666583ddb01851c12eb08d6289";

  /** CPython {@code len(json.dumps(event).encode())} per event, and the running offsets. */
  private static final long[] REFERENCE_OFFSETS = {0, 405, 837, 1294};

  private static final long[] REFERENCE_LENGTHS = {405, 432, 457, 434};

  private ArchiveFixtures() {}

  static JsonNode json(String resource) {
    try (InputStream in = ArchiveFixtures.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      return CanonicalJson.parse(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Ed25519PrivateKey key(String agent) {
    return Ed25519PrivateKey.fromSeed(
        HexFormat.of()
            .parseHex(VECTORS.path("agents").path(agent).path("ed25519_seed_hex").stringValue()));
  }

  static IdentityDocument identityA() {
    try {
      return IdentityDocument.parse(CHAIN.path("agent_identity"), true, false);
    } catch (IdentityDocument.InvalidIdentityException e) {
      throw new IllegalStateException(e);
    }
  }

  static IdentityDocument identityB() {
    return IdentityDocument.of(key("B").publicKey(), 1767225600L, Optional.empty());
  }

  static List<AuditEvent> chainEvents() {
    List<AuditEvent> events = new ArrayList<>();
    CHAIN.path("events").forEach(e -> events.add(AuditEvent.of((ObjectNode) e)));
    return events;
  }

  /** A's signed head over {@code events}. */
  static ChainHead headA(List<AuditEvent> events) {
    String agentId = identityA().agentId();
    return ChainHead.sign(key("A"), agentId, events.size(), events.getLast().hash(), HEAD_TIME);
  }

  /** Our plain archive of the vector chain. */
  static byte[] ourPlainArchive() {
    List<AuditEvent> events = chainEvents();
    return PqzWriter.plain(identityA(), events, headA(events), Optional.empty());
  }

  static Path save(Path dir, String name, byte[] bytes) {
    try {
      return Files.write(dir.resolve(name), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The members of {@code zip} in order. */
  static Map<String, byte[]> unzip(byte[] zip) {
    Map<String, byte[]> members = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        members.put(e.getName(), in.readAllBytes());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return members;
  }

  /** A DEFLATE ZIP of {@code members} in order, as Python's {@code zipfile} would write it. */
  static byte[] zip(Map<String, byte[]> members) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> member : members.entrySet()) {
        out.putNextEntry(new ZipEntry(member.getKey()));
        out.write(member.getValue());
        out.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** {@code zip} with its members changed by {@code edit}. */
  static byte[] edit(byte[] zip, Consumer<Map<String, byte[]>> edit) {
    Map<String, byte[]> members = unzip(zip);
    edit.accept(members);
    return zip(members);
  }

  static ObjectNode object(byte[] member) {
    return (ObjectNode) CanonicalJson.parse(member);
  }

  /** {@code json} in the reference's member layout ({@code json.dumps(indent=2)}). */
  static byte[] pythonIndented(JsonNode json) {
    return PythonJson.dumpsIndentedAscii(json, 2).getBytes(StandardCharsets.US_ASCII);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The vector chain's events as the reference writes {@code data.json}. */
  static byte[] referenceDataJson() {
    byte[] data = pythonIndented(CHAIN.path("events"));
    if (!sha256(data).equals(REFERENCE_DATA_SHA256)) {
      throw new IllegalStateException("data.json differs from CPython's bytes");
    }
    return data;
  }

  /**
   * An archive shaped as the reference's {@code create_archive} writes it (aiss.md §2.7): members
   * data, {@code index.json}, {@code decrypt.py}, {@code verify.py}, {@code metadata.json}, {@code
   * README.txt}; no identity, no signature, no exporter. The scripts are stand-ins (never read).
   */
  static byte[] referenceArchive(Optional<String> passphrase) {
    byte[] data = referenceDataJson();
    boolean encrypted = passphrase.isPresent();
    byte[] member = encrypted ? jdkSeal(data, passphrase.get()) : data;
    String agentId = CHAIN.path("agent_identity").path("agent_id").stringValue();

    ObjectNode index = Json.object();
    index.put("version", "AISS-INDEX-1.0");
    index.put("total_events", 4);
    ObjectNode period = index.putObject("period");
    period.put("start", "2026-01-01T00:00:00+00:00");
    period.put("end", "2026-01-01T00:00:30+00:00");
    index.put("agent_id", agentId);
    index.put("encrypted", encrypted);
    ArrayNode entries = index.putArray("events_index");
    for (int i = 0; i < 4; i++) {
      JsonNode event = CHAIN.path("events").get(i);
      ObjectNode entry = entries.addObject();
      entry.put("offset", REFERENCE_OFFSETS[i]);
      entry.put("length", REFERENCE_LENGTHS[i]);
      entry.put("timestamp", event.path("timestamp").longValue());
      entry.put("event_type", event.path("payload").path("event_type").stringValue());
      entry.put(
          "event_hash",
          VECTORS
              .path("chain_events_detail")
              .get(i)
              .path("event_hash")
              .stringValue()
              .substring(0, 16));
      entry.put("nonce", event.path("nonce").stringValue().substring(0, 8));
    }

    ObjectNode metadata = Json.object();
    metadata.put("piqrypt_version", "1.2.0");
    metadata.put("archive_version", "1.1");
    metadata.put("created_at", "2026-01-01T01:00:00.250000+00:00");
    metadata.put("agent_id", agentId);
    metadata.put("agent_algorithm", "Ed25519");
    metadata.put("events_count", 4);
    metadata.put("period_start", "2026-01-01T00:00:00+00:00");
    metadata.put("period_end", "2026-01-01T00:00:30+00:00");
    metadata.put("encrypted", encrypted);
    if (encrypted) {
      metadata.put("encryption", "AES-256-GCM");
      metadata.put("kdf", "PBKDF2-SHA256");
      metadata.put("kdf_iterations", 100000);
    } else {
      metadata.putNull("encryption");
      metadata.putNull("kdf");
      metadata.putNull("kdf_iterations");
    }
    metadata.put("archive_checksum", sha256(member));
    metadata.put("label", "archive-20260101");

    Map<String, byte[]> members = new LinkedHashMap<>();
    members.put(encrypted ? "data.enc" : "data.json", member);
    members.put("index.json", pythonIndented(index));
    members.put("decrypt.py", ascii("# stand-in for the reference's reader script\n"));
    members.put("verify.py", ascii("# stand-in for the reference's verifier script\n"));
    members.put("metadata.json", pythonIndented(metadata));
    members.put("README.txt", ascii("stand-in for the reference's README\n"));
    return zip(members);
  }

  /**
   * The reference's {@code data.enc}, made with the JDK alone: salt ‖ nonce ‖ AES-GCM(ct ‖ tag).
   */
  static byte[] jdkSeal(byte[] plaintext, String passphrase) {
    try {
      SecureRandom random = new SecureRandom();
      byte[] salt = new byte[32];
      byte[] nonce = new byte[12];
      random.nextBytes(salt);
      random.nextBytes(nonce);
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.ENCRYPT_MODE, jdkKey(passphrase, salt), new GCMParameterSpec(128, nonce));
      byte[] sealed = gcm.doFinal(plaintext);
      byte[] blob = new byte[44 + sealed.length];
      System.arraycopy(salt, 0, blob, 0, 32);
      System.arraycopy(nonce, 0, blob, 32, 12);
      System.arraycopy(sealed, 0, blob, 44, sealed.length);
      return blob;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Opens a {@code data.enc} blob with the JDK alone, as the reference's reader does. */
  static byte[] jdkOpen(byte[] blob, String passphrase) throws GeneralSecurityException {
    byte[] salt = Arrays.copyOfRange(blob, 0, 32);
    byte[] nonce = Arrays.copyOfRange(blob, 32, 44);
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(Cipher.DECRYPT_MODE, jdkKey(passphrase, salt), new GCMParameterSpec(128, nonce));
    return gcm.doFinal(blob, 44, blob.length - 44);
  }

  private static SecretKeySpec jdkKey(String passphrase, byte[] salt)
      throws GeneralSecurityException {
    // The JDK's PBKDF2 encodes the characters as UTF-8, as Python's passphrase.encode() does.
    byte[] key =
        SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
            .generateSecret(new PBEKeySpec(passphrase.toCharArray(), salt, 100_000, 256))
            .getEncoded();
    return new SecretKeySpec(key, "AES");
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
