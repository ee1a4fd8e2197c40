package dev.handshake.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.audit.AgentChain;
import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.AuditExport;
import dev.handshake.audit.ChainHead;
import dev.handshake.audit.InMemoryAuditStore;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.identity.AgentIds;
import dev.handshake.identity.KeyFiles;
import dev.handshake.identity.KeyProtection;
import dev.handshake.identity.Passphrase;
import dev.handshake.identity.PassphraseSource;
import dev.handshake.json.Json;
import dev.handshake.store.sqlite.SqliteAuditStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code handshake audit stamp|export|verify|import|head} run in-process (docs/AUDIT.md, CLI). */
class AuditCommandTest {
  private static final String PASSPHRASE = "audit test passphrase";
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  /** The only environment variable the commands see; no terminal. */
  private static final CommandEnvironment ENVIRONMENT =
      new CommandEnvironment(
          Map.of("HS_PASS", PASSPHRASE)::get,
          SecretPrompt.none(),
          Clock.fixed(NOW, ZoneOffset.UTC),
          new SecureRandom());

  @TempDir Path dir;

  private CliRun run(String... args) {
    return CliRun.execute(ENVIRONMENT, args);
  }

  /** {@code id new} with a fast scrypt N; the new key file. */
  private Path newKey(String name) {
    return CliRun.newKey(ENVIRONMENT, dir.resolve(name));
  }

  private Path data() {
    return dir.resolve("data");
  }

  private CliRun stamp(Path key, String payload) {
    return run(
        "audit",
        "stamp",
        "--key",
        key.toString(),
        "--data",
        data().toString(),
        "--payload",
        payload,
        "--passphrase-env",
        "HS_PASS");
  }

  private void stampOk(Path key, String payload) {
    CliRun r = stamp(key, payload);
    assertThat(r.exit()).as("audit stamp failed: %s", r.err()).isZero();
  }

  private Path export(Path key, String name, String... extra) {
    Path out = dir.resolve(name);
    List<String> args =
        new ArrayList<>(
            List.of(
                "audit",
                "export",
                "--key",
                key.toString(),
                "--data",
                data().toString(),
                "--out",
                out.toString(),
                "--passphrase-env",
                "HS_PASS"));
    args.addAll(List.of(extra));
    CliRun r = run(args.toArray(String[]::new));
    assertThat(r.exit()).as("audit export failed: %s", r.err()).isZero();
    return out;
  }

  /** A key, three stamped events with distinct amounts, and their export. */
  private Path stampedExport(Path key) {
    for (int amount = 100; amount <= 300; amount += 100) {
      stampOk(key, "{\"event_type\":\"order\",\"amount\":" + amount + "}");
    }
    return export(key, "chain.json");
  }

  private static JsonNode json(String text) {
    return Json.tryParse(text.getBytes(StandardCharsets.UTF_8)).orElseThrow();
  }

  private static Ed25519PrivateKey load(Path key) throws IOException {
    return KeyFiles.load(
            key, PassphraseSource.of(Passphrase.copyOf(PASSPHRASE)), KeyProtection.MIN_N)
        .key();
  }

  private long storedCount(Path data, String agentId) throws IOException {
    try (SqliteAuditStore store = SqliteAuditStore.open(data)) {
      return store.count(agentId);
    }
  }

  private Path vector() throws IOException {
    Path file = dir.resolve("vector-chain.json");
    try (InputStream in = getClass().getResourceAsStream("/vectors/aiss/chain.json")) {
      assertThat(in).as("test resource /vectors/aiss/chain.json").isNotNull();
      Files.write(file, in.readAllBytes());
    }
    return file;
  }

  /** An export of a chain of {@code key} built outside the CLI, with chosen nonces. */
  private Path chainWithNonces(Ed25519PrivateKey key, String name, String... nonces)
      throws IOException {
    AgentChain chain =
        AgentChain.open(key, new InMemoryAuditStore(), Clock.fixed(NOW, ZoneOffset.UTC));
    for (String nonce : nonces) {
      ObjectNode payload = Json.object();
      payload.put("event_type", "other");
      payload.put("nonce_used", nonce);
      chain.append(payload, NOW.getEpochSecond(), nonce);
    }
    ChainHead head = chain.signHead();
    Path file = dir.resolve(name);
    Files.write(
        file,
        AuditExport.of(
                chain.identity(NOW.getEpochSecond(), Optional.empty()),
                chain.events(),
                NOW.getEpochSecond(),
                Optional.of(head))
            .toBytes());
    return file;
  }

  @Test
  void stampPrintsTheSignedEventCompactByDefault() throws IOException {
    Path key = newKey("alice.key");

    CliRun r = stamp(key, "{\"event_type\":\"note\",\"text\":\"hello\"}");

    JsonNode event = json(r.out());
    assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
    assertThat(r.out().strip()).as("compact: one line").doesNotContain("\n");
    assertThat(event.path("agent_id").stringValue())
        .isEqualTo(AgentIds.aiss(load(key).publicKey()));
    assertThat(event.path("payload").path("text").stringValue()).isEqualTo("hello");
    assertThat(event.path("timestamp").longValue()).isEqualTo(NOW.getEpochSecond());
    assertThat(event.path("signature").stringValue()).hasSize(88);
  }

  @Test
  void stampWithPrettyIndentsAndReadsThePayloadFromAFile() throws IOException {
    Path key = newKey("alice.key");
    Path payload = dir.resolve("payload.json");
    Files.writeString(payload, "{\"event_type\":\"note\",\"n\":1}");

    CliRun r =
        run(
            "audit",
            "stamp",
            "--key",
            key.toString(),
            "--data",
            data().toString(),
            "--payload",
            "@" + payload,
            "--passphrase-env",
            "HS_PASS",
            "--pretty");

    assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
    assertThat(r.out()).contains("\n  \"payload\": {");
    assertThat(json(r.out()).path("payload").path("n").intValue()).isEqualTo(1);
  }

  @Test
  void stampRefusesAFloatWithThePathAndStoresNothing() throws IOException {
    Path key = newKey("alice.key");
    stampOk(key, "{\"event_type\":\"order\",\"amount\":1}");

    CliRun r = stamp(key, "{\"event_type\":\"trade\",\"price\":150.25}");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains("audit stamp: payload refused: floating-point number 150.25")
        .contains("price")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    assertThat(storedCount(data(), AgentIds.aiss(load(key).publicKey()))).isEqualTo(1);
  }

  @Test
  void stampRefusesAnIntegerBeyondTwoToTheFiftyThree() {
    Path key = newKey("alice.key");

    CliRun r = stamp(key, "{\"event_type\":\"big\",\"n\":18446744073709551616}");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("is beyond ±(2^53−1)");
    assertThat(data()).doesNotExist();
  }

  @Test
  void stampRefusesAPayloadWithoutEventTypeOrNotAnObject() {
    Path key = newKey("alice.key");

    CliRun noType = stamp(key, "{\"text\":\"hello\"}");
    CliRun array = stamp(key, "[1,2]");
    CliRun broken = stamp(key, "{\"event_type\":");

    assertThat(noType.exit()).isEqualTo(2);
    assertThat(noType.err()).contains("payload needs an \"event_type\" string");
    assertThat(array.exit()).isEqualTo(2);
    assertThat(array.err()).contains("payload must be a JSON object");
    assertThat(broken.exit()).isEqualTo(2);
    assertThat(broken.err()).contains("payload is not JSON");
    assertThat(data()).as("nothing stored, no store created").doesNotExist();
  }

  @Test
  void stampWithoutAPassphraseExitsTwoAndStoresNothing() {
    Path key = newKey("alice.key");

    CliRun r =
        run(
            "audit",
            "stamp",
            "--key",
            key.toString(),
            "--data",
            data().toString(),
            "--payload",
            "{\"event_type\":\"note\"}");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("no passphrase: pass --passphrase-env VAR or run on a terminal");
    assertThat(data()).doesNotExist();
  }

  @Test
  void stampedChainExportsAndVerifiesWithAValidJsonReport() throws IOException {
    Path key = newKey("alice.key");
    Path export = stampedExport(key);

    CliRun r = run("audit", "verify", export.toString(), "--json");

    JsonNode report = json(r.out());
    assertThat(r.exit()).as("stdout: %s stderr: %s", r.out(), r.err()).isZero();
    assertThat(report.path("valid").booleanValue()).isTrue();
    assertThat(report.path("chain_integrity_hash_valid").booleanValue()).isTrue();
    assertThat(report.path("head_valid").booleanValue()).as("the export carries a head").isTrue();
    assertThat(report.path("profile").stringValue()).isEqualTo("ours");
    assertThat(report.path("event_count").intValue()).isEqualTo(3);
    assertThat(report.path("genesis_form").path(AgentIds.aiss(load(key).publicKey())).stringValue())
        .isEqualTo("sha256-public-key");
  }

  @Test
  void verifyPrintsOneLinePerEventAndASummary() {
    Path key = newKey("alice.key");
    Path export = stampedExport(key);

    CliRun r = run("audit", "verify", export.toString());

    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .containsPattern("(?m)^#0  order  [0-9a-f]{16}  ok$")
        .containsPattern("(?m)^#2  order  [0-9a-f]{16}  ok$")
        .contains("signed head:           valid")
        .contains("result:                VALID (3 events)");
  }

  @Test
  void anEditedPayloadFailsVerificationAndNamesTheEvent() throws IOException {
    Path key = newKey("alice.key");
    Path export = stampedExport(key);
    String text = Files.readString(export);
    assertThat(text).contains("\"amount\": 200");
    Files.writeString(export, text.replace("\"amount\": 200", "\"amount\": 900"));

    CliRun human = run("audit", "verify", export.toString());
    CliRun asJson = run("audit", "verify", export.toString(), "--json");

    assertThat(human.exit()).isEqualTo(1);
    assertThat(human.out())
        .containsPattern(
            "(?m)^#1  order  [0-9a-f]{16}  FAIL: Signature error: Ed25519 signature verification failed")
        .containsPattern("(?m)^#2  order  [0-9a-f]{16}  FAIL: Chain error: Chain broken: event 2")
        .contains("result:                INVALID");
    JsonNode report = json(asJson.out());
    assertThat(asJson.exit()).isEqualTo(1);
    assertThat(report.path("valid").booleanValue()).isFalse();
    assertThat(report.path("signatures_valid").booleanValue()).isFalse();
    assertThat(report.path("chain_integrity_hash_valid").booleanValue()).isFalse();
    assertThat(report.path("events").get(1).path("valid").booleanValue()).isFalse();
    assertThat(report.path("events").get(0).path("valid").booleanValue()).isTrue();
  }

  @Test
  void droppingTheLastEventButKeepingTheHeadIsCaughtByTheHead() throws Exception {
    Path key = newKey("alice.key");
    AuditExport full = AuditExport.parse(Files.readAllBytes(stampedExport(key)));
    List<AuditEvent> shorter = full.events().subList(0, 2);
    // Everything the reference checks is made consistent again; only our signed head remembers.
    AuditExport truncated =
        new AuditExport(
            full.identityJson(),
            shorter,
            AuditExport.chainIntegrityHash(shorter),
            full.exportedAt(),
            full.exporter(),
            full.head());
    Path file = dir.resolve("truncated.json");
    Files.write(file, truncated.toBytes());

    CliRun r = run("audit", "verify", file.toString(), "--json");
    CliRun reference = run("audit", "verify", file.toString(), "--profile", "reference", "--json");

    JsonNode report = json(r.out());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(report.path("head_valid").booleanValue()).isFalse();
    assertThat(report.path("chain_integrity_hash_valid").booleanValue()).isTrue();
    assertThat(report.path("chain_valid").booleanValue()).isTrue();
    assertThat(report.path("errors").toString()).contains("truncated");
    assertThat(json(reference.out()).path("head_valid").booleanValue())
        .as("the head is checked whatever the profile")
        .isFalse();
  }

  @Test
  void aNewerHeadFromElsewhereCatchesAnOlderExport() throws IOException {
    Path key = newKey("alice.key");
    Path old = stampedExport(key);
    stampOk(key, "{\"event_type\":\"order\",\"amount\":400}");
    Path head = dir.resolve("head.json");
    CliRun wrote =
        run(
            "audit",
            "head",
            "--key",
            key.toString(),
            "--data",
            data().toString(),
            "--out",
            head.toString());
    assertThat(wrote.exit()).as("audit head failed: %s", wrote.err()).isZero();

    CliRun alone = run("audit", "verify", old.toString());
    CliRun withHead = run("audit", "verify", old.toString(), "--head", head.toString(), "--json");

    assertThat(alone.exit()).as("the export's own head covers its 3 events").isZero();
    assertThat(withHead.exit()).isEqualTo(1);
    assertThat(json(withHead.out()).path("head_valid").booleanValue()).isFalse();
    assertThat(json(withHead.out()).path("errors").toString())
        .contains("has 3 events but its signed head covers 4");
  }

  @Test
  void headPrintsTheStoredSignedHeadWithoutAPassphrase() throws Exception {
    Path key = newKey("alice.key");
    stampOk(key, "{\"event_type\":\"note\"}");

    // No --passphrase-env: stamp stored a current head, so nothing needs signing.
    CliRun r = run("audit", "head", "--key", key.toString(), "--data", data().toString());

    assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
    ChainHead head = ChainHead.parse(json(r.out())).orElseThrow();
    assertThat(head.eventCount()).isEqualTo(1);
    assertThat(head.verify(load(key).publicKey())).isTrue();
  }

  @Test
  void theReferenceVectorVerifiesWithTheForeignProfile() throws IOException {
    CliRun r = run("audit", "verify", vector().toString(), "--json");

    JsonNode report = json(r.out());
    assertThat(r.exit()).as("stdout: %s", r.out()).isZero();
    assertThat(report.path("profile").stringValue()).isEqualTo("foreign");
    assertThat(report.path("valid").booleanValue()).isTrue();
    assertThat(report.path("chain_integrity_hash_valid").booleanValue()).isTrue();
    assertThat(report.path("genesis_form").path("3HhGPB6ht33n51YFaocqBtGePb3xqT4V").stringValue())
        .isEqualTo("sha256-public-key");
    assertThat(report.path("head_valid").isNull()).isTrue();
  }

  @Test
  void theReferenceExactExportHasNoHandshakeExtension() throws IOException {
    Path key = newKey("alice.key");
    stampOk(key, "{\"event_type\":\"note\"}");

    Path file = export(key, "reference.json", "--reference-exact");
    CliRun verified = run("audit", "verify", file.toString(), "--json");

    JsonNode root = json(Files.readString(file));
    assertThat(root.has("handshake")).isFalse();
    assertThat(root.path("metadata").path("exporter").stringValue()).isEqualTo("piqrypt/1.0.0");
    assertThat(verified.exit()).isZero();
    assertThat(json(verified.out()).path("profile").stringValue()).isEqualTo("foreign");
  }

  @Test
  void exportNeverOverwritesUnlessForced() throws IOException {
    Path key = newKey("alice.key");
    stampOk(key, "{\"event_type\":\"note\"}");
    Path out = dir.resolve("taken.json");
    Files.writeString(out, "precious");
    String[] args = {
      "audit",
      "export",
      "--key",
      key.toString(),
      "--data",
      data().toString(),
      "--out",
      out.toString()
    };

    CliRun refused = run(args);
    String kept = Files.readString(out);
    CliRun forced =
        run(Stream.concat(Arrays.stream(args), Stream.of("--force")).toArray(String[]::new));

    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err()).contains("refusing to overwrite").contains("--force");
    assertThat(kept).isEqualTo("precious");
    assertThat(forced.exit()).as("stderr: %s", forced.err()).isZero();
    assertThat(json(Files.readString(out)).path("spec").stringValue()).isEqualTo("AISS-1.0-AUDIT");
  }

  @Test
  void exportOfAFolderWithoutAStoreIsRefused() {
    Path key = newKey("alice.key");

    CliRun r =
        run(
            "audit",
            "export",
            "--key",
            key.toString(),
            "--data",
            dir.resolve("typo").toString(),
            "--out",
            dir.resolve("x.json").toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("no audit store in");
    assertThat(dir.resolve("typo")).doesNotExist();
  }

  @Test
  void verifyOfANonJsonFileExitsTwoWithAMessage() throws IOException {
    Path file = dir.resolve("garbage.json");
    Files.writeString(file, "this is not JSON");

    CliRun r = run("audit", "verify", file.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("audit verify: ").contains("not a JSON audit export");
    assertThat(r.err()).doesNotContain("\tat ");
  }

  @Test
  void verifyOfAMissingFileOrAnUnknownProfileExitsTwo() {
    CliRun missing = run("audit", "verify", dir.resolve("absent.json").toString());
    CliRun profile = run("audit", "verify", dir.resolve("absent.json").toString(), "--profile", "lax");
    CliRun noFile = run("audit", "verify");

    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("no such file");
    assertThat(profile.exit()).isEqualTo(2);
    assertThat(profile.err()).contains("--profile must be ours, foreign or reference");
    assertThat(noFile.exit()).isEqualTo(2);
  }

  @Test
  void importThenReimportIsIdempotent() throws IOException {
    Path key = newKey("alice.key");
    Path export = stampedExport(key);
    Path other = dir.resolve("other-data");
    String agentId = AgentIds.aiss(load(key).publicKey());

    CliRun first = run("audit", "import", export.toString(), "--data", other.toString());
    CliRun again = run("audit", "import", export.toString(), "--data", other.toString());

    assertThat(first.exit()).as("stderr: %s", first.err()).isZero();
    assertThat(first.out()).contains("imported 3 events of " + agentId);
    assertThat(again.exit()).as("stderr: %s", again.err()).isZero();
    assertThat(again.out()).contains("already imported");
    assertThat(storedCount(other, agentId)).isEqualTo(3);
  }

  @Test
  void aLongerCopyOfAStoredChainAddsOnlyItsNewEvents() throws IOException {
    Path key = newKey("alice.key");
    Path shorter = stampedExport(key);
    stampOk(key, "{\"event_type\":\"order\",\"amount\":400}");
    Path longer = export(key, "longer.json");
    Path other = dir.resolve("other-data");

    run("audit", "import", shorter.toString(), "--data", other.toString());
    CliRun r = run("audit", "import", longer.toString(), "--data", other.toString());

    assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
    assertThat(r.out()).contains("imported 1 events").contains("(3 already there)");
    assertThat(storedCount(other, AgentIds.aiss(load(key).publicKey()))).isEqualTo(4);
  }

  @Test
  void aDifferentChainReusingAnImportedNonceIsRefused() throws Exception {
    Path key = newKey("alice.key");
    Path export = stampedExport(key);
    Path other = dir.resolve("other-data");
    run("audit", "import", export.toString(), "--data", other.toString());
    String reused = AuditExport.parse(Files.readAllBytes(export)).events().getFirst().nonce();
    Path replay = chainWithNonces(load(key), "replay.json", reused);

    CliRun r = run("audit", "import", replay.toString(), "--data", other.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("nonce " + reused).contains("already seen");
    assertThat(storedCount(other, AgentIds.aiss(load(key).publicKey()))).isEqualTo(3);
  }

  @Test
  void aNonceInTheStoresMemoryIsRefusedAndARefusedImportRemembersNothing() throws Exception {
    Ed25519PrivateKey key = load(newKey("alice.key"));
    String agentId = AgentIds.aiss(key.publicKey());
    Path other = dir.resolve("other-data");
    String seen = "00000000-0000-4000-8000-0000000000aa";
    String fresh = "00000000-0000-4000-8000-0000000000bb";
    try (SqliteAuditStore store = SqliteAuditStore.open(other)) {
      store.recordNonce(agentId, seen, NOW.getEpochSecond(), 86_400); // e.g. from a session
    }
    Path withSeen = chainWithNonces(key, "with-seen.json", fresh, seen);
    Path prefix = chainWithNonces(key, "prefix.json", fresh);

    CliRun refused = run("audit", "import", withSeen.toString(), "--data", other.toString());
    CliRun clean = run("audit", "import", prefix.toString(), "--data", other.toString());

    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("nonce " + seen).doesNotContain(fresh);
    assertThat(clean.exit())
        .as("the refused import must not burn %s: %s", fresh, clean.err())
        .isZero();
    assertThat(storedCount(other, agentId)).isEqualTo(1);
  }

  @Test
  void anInvalidExportIsNotImported() throws IOException {
    Path key = newKey("alice.key");
    Path export = stampedExport(key);
    Files.writeString(
        export, Files.readString(export).replace("\"amount\": 200", "\"amount\": 900"));
    Path other = dir.resolve("other-data");

    CliRun r = run("audit", "import", export.toString(), "--data", other.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("FAIL");
    assertThat(r.err()).contains("does not verify; nothing imported");
    assertThat(storedCount(other, AgentIds.aiss(load(key).publicKey()))).isZero();
  }

  @Test
  void theReferenceVectorImportsAsSignedAndReimportsIdempotently() throws IOException {
    Path vector = vector();
    Path other = dir.resolve("other-data");

    CliRun first = run("audit", "import", vector.toString(), "--data", other.toString());
    CliRun again = run("audit", "import", vector.toString(), "--data", other.toString());

    assertThat(first.exit()).as("stderr: %s", first.err()).isZero();
    assertThat(first.out()).contains("imported 4 events").contains("profile foreign");
    assertThat(again.out())
        .as("stored events keep their hashes (floats 100.0 and 1e-07 included)")
        .contains("already imported");
  }
}
