package dev.handshake.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.json.CanonicalJson;
import dev.handshake.json.PythonJson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code handshake audit archive} and {@code verify-archive} run in-process (docs/AUDIT.md, aiss.md
 * §4 item 10): exit 0 valid, 1 does not verify, 2 unusable input.
 */
class AuditArchiveCommandTest {
  private static final String PASSPHRASE = "audit test passphrase";
  private static final String ARCHIVE_PASSPHRASE = "a long archive passphrase, 41 characters";
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  private static final CommandEnvironment ENVIRONMENT =
      new CommandEnvironment(
          Map.of(
                  "HS_PASS",
                  PASSPHRASE,
                  "ARCHIVE_PASS",
                  ARCHIVE_PASSPHRASE,
                  "WRONG_PASS",
                  "not the archive passphrase at all",
                  "SHORT_PASS",
                  "short")
              ::get,
          SecretPrompt.none(),
          Clock.fixed(NOW, ZoneOffset.UTC),
          new SecureRandom());

  @TempDir Path dir;

  private CliRun run(String... args) {
    return CliRun.execute(ENVIRONMENT, args);
  }

  private Path data() {
    return dir.resolve("data");
  }

  /** A key with three stamped events. */
  private Path stampedKey() {
    Path key = CliRun.newKey(ENVIRONMENT, dir.resolve("alice.key"));
    CliRun.stampThreeOrders(ENVIRONMENT, key, data());
    return key;
  }

  private CliRun archive(Path key, Path out, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "audit",
                "archive",
                "--key",
                key.toString(),
                "--data",
                data().toString(),
                "--out",
                out.toString(),
                "--passphrase-env",
                "HS_PASS"));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  private Path archiveOk(Path key, String name, String... extra) {
    Path out = dir.resolve(name);
    CliRun r = archive(key, out, extra);
    assertThat(r.exit()).as("audit archive: %s", r.err()).isZero();
    return out;
  }

  private CliRun verify(Path archive, String... extra) {
    List<String> args = new ArrayList<>(List.of("audit", "verify-archive", archive.toString()));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
    Map<String, byte[]> members = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        members.put(e.getName(), in.readAllBytes());
      }
    }
    return members;
  }

  private static byte[] zip(Map<String, byte[]> members) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> m : members.entrySet()) {
        out.putNextEntry(new ZipEntry(m.getKey()));
        out.write(m.getValue());
        out.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** A copy of {@code archive} with its members changed by {@code edit}. */
  private Path edited(Path archive, String name, Consumer<Map<String, byte[]>> edit)
      throws IOException {
    Map<String, byte[]> members = unzip(Files.readAllBytes(archive));
    edit.accept(members);
    return Files.write(dir.resolve(name), zip(members));
  }

  private static byte[] indented(JsonNode json) {
    return PythonJson.dumpsIndentedAscii(json, 2).getBytes(StandardCharsets.US_ASCII);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void item10_archiveThenVerifyArchiveExitsZero() throws IOException {
    Path archive = archiveOk(stampedKey(), "alice.pqz");

    CliRun text = verify(archive);
    CliRun json = verify(archive, "--json");

    assertThat(text.exit()).as("stdout %s stderr %s", text.out(), text.err()).isZero();
    assertThat(text.out())
        .contains("profile:               ours (exporter handshake/")
        .contains("identity:              identity.json")
        .contains("signed head:           valid")
        .contains("result:                VALID (3 events)");
    JsonNode report = CanonicalJson.parse(json.out());
    assertThat(json.exit()).isZero();
    assertThat(report.path("valid").booleanValue()).isTrue();
    assertThat(report.path("head_valid").booleanValue()).isTrue();
    assertThat(report.path("chain").path("signatures_valid").booleanValue()).isTrue();
  }

  @Test
  void item10_archivingTheSameChainTwiceGivesTheSameBytes() throws IOException {
    Path key = stampedKey();

    Path first = archiveOk(key, "first.pqz");
    Path second = archiveOk(key, "second.pqz");

    assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));
  }

  @Test
  void item10_encryptedArchiveVerifiesOnlyWithItsPassphrase() {
    Path archive =
        archiveOk(stampedKey(), "sealed.pqz", "--encrypt-passphrase-env", "ARCHIVE_PASS");

    CliRun right = verify(archive, "--passphrase-env", "ARCHIVE_PASS");
    CliRun wrong = verify(archive, "--passphrase-env", "WRONG_PASS");
    CliRun none = verify(archive);

    assertThat(right.exit()).as("stderr %s", right.err()).isZero();
    assertThat(right.out()).contains("encrypted data.enc").contains("VALID (3 events)");
    assertThat(wrong.exit()).isEqualTo(2);
    assertThat(wrong.err()).contains("audit verify-archive: ").contains("wrong passphrase");
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.err()).contains("no passphrase");
  }

  @Test
  void aShortArchivePassphraseDrawsAWarning() {
    Path out = dir.resolve("weak.pqz");

    CliRun r = archive(stampedKey(), out, "--encrypt-passphrase-env", "SHORT_PASS");

    assertThat(r.exit()).isZero();
    assertThat(r.err()).contains("warning: the archive passphrase is shorter than 20 characters");
  }

  @Test
  void item10_anEditedEventExitsOne() throws IOException {
    Path archive = archiveOk(stampedKey(), "alice.pqz");
    Path tampered =
        edited(
            archive,
            "tampered.pqz",
            m -> {
              ArrayNode events = (ArrayNode) CanonicalJson.parse(m.get("data.json"));
              ((ObjectNode) events.get(1).path("payload")).put("amount", 9999);
              byte[] data = indented(events);
              m.put("data.json", data);
              ObjectNode metadata = (ObjectNode) CanonicalJson.parse(m.get("metadata.json"));
              metadata.put("archive_checksum", sha256(data));
              m.put("metadata.json", indented(metadata));
            });

    CliRun r = verify(tampered);

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out())
        .contains("#1  order")
        .contains("FAIL: Signature error")
        .contains("result:                INVALID");
  }

  @Test
  void item10_aMissingIdentityOrCheckpointExitsOne() throws IOException {
    Path archive = archiveOk(stampedKey(), "alice.pqz");
    Path noIdentity = edited(archive, "no-identity.pqz", m -> m.remove("identity.json"));
    Path noHead = edited(archive, "no-head.pqz", m -> m.remove("chain-head.json"));

    CliRun a = verify(noIdentity);
    CliRun b = verify(noHead);

    assertThat(a.exit()).isEqualTo(1);
    assertThat(a.out()).contains("identity.json is missing");
    assertThat(b.exit()).isEqualTo(1);
    assertThat(b.out())
        .contains("signed head:           none")
        .contains("chain-head.json is missing");
  }

  @Test
  void item10_aBadChecksumExitsOne() throws IOException {
    Path archive = archiveOk(stampedKey(), "alice.pqz");
    Path tampered =
        edited(
            archive,
            "bad-checksum.pqz",
            m -> {
              ObjectNode metadata = (ObjectNode) CanonicalJson.parse(m.get("metadata.json"));
              metadata.put("archive_checksum", "ff".repeat(32));
              m.put("metadata.json", indented(metadata));
            });

    CliRun r = verify(tampered);

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("archive_checksum:      INVALID");
  }

  @Test
  void item10_anAlteredEncryptedMemberExitsOne() throws IOException {
    Path archive =
        archiveOk(stampedKey(), "sealed.pqz", "--encrypt-passphrase-env", "ARCHIVE_PASS");
    Path tampered = edited(archive, "altered.pqz", m -> m.get("data.enc")[60] ^= 1);

    CliRun r = verify(tampered, "--passphrase-env", "ARCHIVE_PASS");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("data.enc was altered");
  }

  @Test
  void item10_aReferenceShapedArchiveNeedsTheAgentsIdentity() throws IOException {
    Path archive = archiveOk(stampedKey(), "alice.pqz");
    Map<String, byte[]> members = unzip(Files.readAllBytes(archive));
    Path identity = Files.write(dir.resolve("identity.json"), members.get("identity.json"));
    // The reference's layout: no identity, no signed head, no exporter.
    Path reference =
        edited(
            archive,
            "reference.pqz",
            m -> {
              m.remove("identity.json");
              m.remove("chain-head.json");
              ObjectNode metadata = (ObjectNode) CanonicalJson.parse(m.get("metadata.json"));
              metadata.remove("exporter");
              m.put("metadata.json", indented(metadata));
            });

    CliRun without = verify(reference);
    CliRun with = verify(reference, "--identity", identity.toString());

    assertThat(without.exit()).isEqualTo(1);
    assertThat(without.out())
        .contains("profile:               foreign (no exporter: a reference archive)")
        .contains("identity:              NONE");
    assertThat(with.exit()).as("stdout %s", with.out()).isZero();
    assertThat(with.out()).contains("identity:              supplied (--identity)");
  }

  @Test
  void item10_pathTraversalAndNonArchivesExitTwo() throws IOException {
    Path archive = archiveOk(stampedKey(), "alice.pqz");
    Path traversal =
        edited(archive, "traversal.pqz", m -> m.put("../../evil.sh", new byte[] {'x'}));
    Path notZip = Files.writeString(dir.resolve("not.pqz"), "{\"spec\":\"AISS-1.0-AUDIT\"}");

    CliRun a = verify(traversal);
    CliRun b = verify(notZip);
    CliRun c = verify(dir.resolve("missing.pqz"));

    assertThat(a.exit()).isEqualTo(2);
    assertThat(a.err()).contains("path traversal").doesNotContain("\tat ");
    assertThat(b.exit()).isEqualTo(2);
    assertThat(b.err()).contains("not a ZIP archive");
    assertThat(c.exit()).isEqualTo(2);
  }

  @Test
  void archiveNeverReplacesAnExistingFileUnlessForced() throws IOException {
    Path key = stampedKey();
    Path out = Files.writeString(dir.resolve("taken.pqz"), "keep me");

    CliRun refused = archive(key, out);
    CliRun forced = archive(key, out, "--force");

    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err()).contains("--force");
    assertThat(forced.exit()).isZero();
    assertThat(verify(out).exit()).isZero();
  }

  @Test
  void anUnknownProfileIsAUsageError() throws IOException {
    Path archive = archiveOk(stampedKey(), "alice.pqz");

    CliRun r = verify(archive, "--profile", "lenient");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--profile must be ours, foreign or reference");
  }

  @Test
  void archiveOfAFolderWithoutAStoreExitsTwo() {
    Path key = stampedKey();

    CliRun r =
        run(
            "audit",
            "archive",
            "--key",
            key.toString(),
            "--data",
            dir.resolve("nope").toString(),
            "--out",
            dir.resolve("x.pqz").toString(),
            "--passphrase-env",
            "HS_PASS");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("no audit store");
  }
}
