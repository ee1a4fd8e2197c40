package dev.handshake.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.crypto.Base58;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.identity.AgentIds;
import dev.handshake.identity.IdentityDocument;
import dev.handshake.identity.KeyFiles;
import dev.handshake.identity.KeyFormat;
import dev.handshake.identity.KeyProtection;
import dev.handshake.identity.LoadedKey;
import dev.handshake.identity.Passphrase;
import dev.handshake.identity.PassphraseSource;
import dev.handshake.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/** {@code handshake id new|show|export|import} run in-process (docs/IDENTITY.md). */
class IdCommandTest {
  private static final String PASSPHRASE = "correct horse battery staple";
  private static final String FAST_N = Integer.toString(KeyProtection.MIN_N);
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  @TempDir Path dir;

  /** Environment variables the next run sees; HS_PASS is always set. */
  private final Map<String, String> variables = new HashMap<>(Map.of("HS_PASS", PASSPHRASE));

  /** Answers the next run's terminal gives, in order; empty means "no terminal". */
  private final Deque<String> typed = new ArrayDeque<>();

  private boolean hasTerminal;

  private CliRun run(String... args) {
    SecretPrompt terminal =
        prompt -> hasTerminal ? Optional.of(typed.removeFirst().toCharArray()) : Optional.empty();
    CommandEnvironment environment =
        new CommandEnvironment(
            variables::get, terminal, Clock.fixed(NOW, ZoneOffset.UTC), new SecureRandom());
    return CliRun.execute(environment, args);
  }

  /** {@code id new} with a fast scrypt N; the new file. */
  private Path newKey(String name) {
    Path file = dir.resolve(name);
    CliRun r =
        run(
            "id",
            "new",
            "--out",
            file.toString(),
            "--passphrase-env",
            "HS_PASS",
            "--scrypt-n",
            FAST_N);
    assertThat(r.exit()).as("id new failed: %s", r.err()).isZero();
    return file;
  }

  private static LoadedKey load(Path file, String passphrase) throws IOException {
    return KeyFiles.load(
        file, PassphraseSource.of(Passphrase.copyOf(passphrase)), KeyProtection.MIN_N);
  }

  private static JsonNode json(String text) {
    return Json.tryParse(text.getBytes(StandardCharsets.UTF_8)).orElseThrow();
  }

  private static String mode(Path file) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  @Test
  void newWritesAnEncryptedOwnerOnlyKeyAndPrintsEveryId() throws IOException {
    Path file = dir.resolve("alice.key");

    CliRun r =
        run(
            "id",
            "new",
            "--out",
            file.toString(),
            "--label",
            "alice",
            "--passphrase-env",
            "HS_PASS",
            "--scrypt-n",
            FAST_N,
            "--json");

    Ed25519PrivateKey key = load(file, PASSPHRASE).key();
    JsonNode printed = json(r.out());
    assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
    assertThat(mode(file)).isEqualTo("rw-------");
    assertThat(printed.path("format").stringValue()).isEqualTo("handshake-key/2");
    assertThat(printed.path("label").stringValue()).isEqualTo("alice");
    assertThat(printed.path("agent_id").stringValue()).isEqualTo(AgentIds.aiss(key.publicKey()));
    assertThat(printed.path("trusthandoff_id").stringValue())
        .isEqualTo(AgentIds.trustHandoff(key.publicKey()));
    assertThat(printed.path("keep_key_hex").stringValue()).isEqualTo(key.publicKey().hex());
    assertThat(printed.path("public_key_b64").stringValue()).isEqualTo(key.publicKey().base64());
    assertThat(printed.path("public_key_b58").stringValue())
        .isEqualTo(Base58.encode(key.publicKey().raw()));
    assertThat(r.out()).doesNotContain(HexFormat.of().formatHex(key.exportSeed()));
  }

  @Test
  void newPrintsTheIdsAsTextByDefault() throws IOException {
    Path file = dir.resolve("alice.key");

    CliRun r =
        run(
            "id",
            "new",
            "--out",
            file.toString(),
            "--passphrase-env",
            "HS_PASS",
            "--scrypt-n",
            FAST_N);

    String agentId = AgentIds.aiss(load(file, PASSPHRASE).key().publicKey());
    assertThat(r.out()).contains("agent_id (AISS):  " + agentId).contains("TrustHandoff id:");
  }

  @Test
  void newWithoutScryptNWritesTheDefaultTwoToTheSeventeenth() throws IOException {
    Path file = dir.resolve("default.key");

    CliRun r = run("id", "new", "--out", file.toString(), "--passphrase-env", "HS_PASS");

    assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
    JsonNode kdf = Json.mapper().readTree(Files.readAllBytes(file)).path("kdf");
    assertThat(kdf.path("n").intValue()).isEqualTo(1 << 17);
  }

  @Test
  void newRefusesToOverwriteAnExistingFile() throws IOException {
    Path file = dir.resolve("taken.key");
    Files.writeString(file, "precious");

    CliRun r = run("id", "new", "--out", file.toString(), "--passphrase-env", "HS_PASS");

    assertThat(r.exit()).isEqualTo(IdCommand.EXIT_KEY);
    assertThat(r.err()).contains("refusing to overwrite");
    assertThat(Files.readString(file)).isEqualTo("precious");
  }

  @Test
  void anUnsetPassphraseVariableIsAClearErrorWithExitTwo() {
    Path file = dir.resolve("a.key");

    CliRun r = run("id", "new", "--out", file.toString(), "--passphrase-env", "NOT_SET");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("environment variable NOT_SET (--passphrase-env) is not set");
    assertThat(file).doesNotExist();
  }

  @Test
  void anEmptyPassphraseVariableIsAClearErrorWithExitTwo() {
    variables.put("EMPTY", "");
    Path file = dir.resolve("a.key");

    CliRun r = run("id", "new", "--out", file.toString(), "--passphrase-env", "EMPTY");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("EMPTY (--passphrase-env) is empty");
    assertThat(file).doesNotExist();
  }

  @Test
  void withoutVariableOrTerminalTheErrorSaysHowToGiveAPassphrase() {
    CliRun r = run("id", "new", "--out", dir.resolve("a.key").toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("no passphrase: pass --passphrase-env VAR or run on a terminal");
  }

  @Test
  void onATerminalNewAsksTwiceAndWritesWhenBothAnswersMatch() throws IOException {
    hasTerminal = true;
    typed.addAll(List.of("typed pass", "typed pass"));
    Path file = dir.resolve("typed.key");

    CliRun r = run("id", "new", "--out", file.toString(), "--scrypt-n", FAST_N);

    assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
    assertThat(typed).as("both prompts were answered").isEmpty();
    assertThat(load(file, "typed pass").format()).isEqualTo(KeyFormat.HANDSHAKE_ENCRYPTED);
  }

  @Test
  void onATerminalNewRefusesTwoDifferentAnswers() {
    hasTerminal = true;
    typed.addAll(List.of("one", "two"));
    Path file = dir.resolve("typed.key");

    CliRun r = run("id", "new", "--out", file.toString(), "--scrypt-n", FAST_N);

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("differ");
    assertThat(file).doesNotExist();
  }

  @Test
  void showReadsOurFormatWithoutAskingForThePassphrase() throws IOException {
    Path file = newKey("alice.key");

    CliRun r = run("id", "show", file.toString(), "--json");

    assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
    assertThat(json(r.out()).path("agent_id").stringValue())
        .isEqualTo(AgentIds.aiss(load(file, PASSPHRASE).key().publicKey()));
    assertThat(json(r.out()).path("encrypted").booleanValue()).isTrue();
    assertThat(r.err()).as("no warning for an encrypted file").isEmpty();
  }

  @Test
  void showOfAPqkyFileNeedsThePassphraseAndHonoursPiqryptScryptN() throws IOException {
    Ed25519PrivateKey key = load(newKey("alice.key"), PASSPHRASE).key();
    Path pqky = dir.resolve("private.key.enc");
    KeyFiles.exportPqky(
        pqky,
        key,
        Passphrase.copyOf(PASSPHRASE),
        KeyProtection.defaults().withScryptN(KeyProtection.MIN_N));
    variables.put("PIQRYPT_SCRYPT_N", FAST_N);

    CliRun without = run("id", "show", pqky.toString());
    CliRun with = run("id", "show", pqky.toString(), "--passphrase-env", "HS_PASS", "--json");

    assertThat(without.exit()).isEqualTo(2);
    assertThat(without.err()).contains("no passphrase");
    assertThat(with.exit()).as("stderr: %s", with.err()).isZero();
    assertThat(json(with.out()).path("format").stringValue()).isEqualTo("pqky/1");
    assertThat(json(with.out()).path("public_key_b64").stringValue())
        .isEqualTo(key.publicKey().base64());
  }

  @Test
  void showWarnsAboutAPlaintextFile() throws IOException {
    Path file = dir.resolve("seed.hex");
    Files.writeString(file, "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

    CliRun r = run("id", "show", file.toString());

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("3HhGPB6ht33n51YFaocqBtGePb3xqT4V");
    assertThat(r.err()).contains("warning:").contains("UNENCRYPTED");
  }

  @Test
  void showRefusesAKeyFileOthersCanRead() throws IOException {
    Path file = newKey("alice.key");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    CliRun r = run("id", "show", file.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("chmod 600");
  }

  @Test
  void exportIdentityWritesTheAissIdentityDocument() throws Exception {
    Path file = newKey("alice.key");
    Path out = dir.resolve("identity.json");

    CliRun r = run("id", "export", file.toString(), "--format", "identity", "--out", out.toString());

    assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
    String text = Files.readString(out);
    IdentityDocument doc = IdentityDocument.parse(json(text), true, false);
    assertThat(doc.publicKey()).isEqualTo(load(file, PASSPHRASE).key().publicKey());
    assertThat(doc.createdAt()).isEqualTo(NOW.getEpochSecond());
    assertThat(text).startsWith("{\n  \"version\": \"AISS-1.0\",\n  \"agent_id\": ");
  }

  @Test
  void exportPublicPemWritesTheSpkiPem() throws IOException {
    Path file = newKey("alice.key");
    Path out = dir.resolve("alice.pem");

    CliRun r = run("id", "export", file.toString(), "--format", "public-pem", "--out", out.toString());

    assertThat(r.exit()).isZero();
    assertThat(Files.readString(out))
        .isEqualTo(AgentIds.pem(load(file, PASSPHRASE).key().publicKey()));
  }

  @Test
  void exportPqkyWrites97BytesUnderTheNewPassphrase() throws IOException {
    variables.put("HS_NEW", "piqrypt side");
    Path file = newKey("alice.key");
    Path out = dir.resolve("private.key.enc");

    CliRun r =
        run(
            "id",
            "export",
            file.toString(),
            "--format",
            "pqky",
            "--out",
            out.toString(),
            "--passphrase-env",
            "HS_PASS",
            "--new-passphrase-env",
            "HS_NEW",
            "--scrypt-n",
            FAST_N);

    assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
    assertThat(Files.size(out)).isEqualTo(97);
    assertThat(mode(out)).isEqualTo("rw-------");
    assertThat(load(out, "piqrypt side").key()).isEqualTo(load(file, PASSPHRASE).key());
    assertThat(r.err()).contains("PIQRYPT_SCRYPT_N=" + FAST_N);
  }

  @Test
  void exportPqkyWithoutANewPassphraseKeepsTheKeyFilesOwn() throws IOException {
    Path file = newKey("alice.key");
    Path out = dir.resolve("private.key.enc");

    CliRun r =
        run(
            "id",
            "export",
            file.toString(),
            "--format",
            "pqky",
            "--out",
            out.toString(),
            "--passphrase-env",
            "HS_PASS",
            "--scrypt-n",
            FAST_N);

    assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
    assertThat(load(out, PASSPHRASE).format()).isEqualTo(KeyFormat.PIQRYPT_ENCRYPTED);
  }

  @Test
  void exportPlaintextIsRefusedWithoutTheExplicitFlag() {
    Path file = newKey("alice.key");
    Path out = dir.resolve("private.key.json");

    CliRun r =
        run(
            "id",
            "export",
            file.toString(),
            "--format",
            "plaintext",
            "--out",
            out.toString(),
            "--passphrase-env",
            "HS_PASS");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--i-understand-plaintext");
    assertThat(out).doesNotExist();
  }

  @Test
  void exportPlaintextWithTheFlagWritesTheReferenceShapeOwnerOnlyAndWarns() throws IOException {
    Path file = newKey("alice.key");
    Path out = dir.resolve("private.key.json");

    CliRun r =
        run(
            "id",
            "export",
            file.toString(),
            "--format",
            "plaintext",
            "--out",
            out.toString(),
            "--passphrase-env",
            "HS_PASS",
            "--i-understand-plaintext");

    assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
    assertThat(mode(out)).isEqualTo("rw-------");
    JsonNode node = Json.mapper().readTree(Files.readAllBytes(out));
    assertThat(node.path("format").stringValue()).isEqualTo("plaintext");
    assertThat(node.path("private_key").stringValue())
        .isEqualTo(
            java.util.Base64.getEncoder()
                .encodeToString(load(file, PASSPHRASE).key().exportSeed()));
    assertThat(r.err()).contains("UNENCRYPTED");
  }

  @Test
  void anUnknownExportFormatIsAUsageError() {
    Path file = newKey("alice.key");

    CliRun r =
        run(
            "id",
            "export",
            file.toString(),
            "--format",
            "pkcs8",
            "--out",
            dir.resolve("x").toString());

    assertThat(r.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(r.err()).contains("--format must be");
  }

  @Test
  void importOfAReferencePlaintextFileEncryptsItAndWarns() throws IOException {
    Path source = dir.resolve("private.key.json");
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(new SecureRandom());
    KeyFiles.exportPlaintext(source, key);
    Path out = dir.resolve("imported.key");

    CliRun r =
        run(
            "id",
            "import",
            source.toString(),
            "--out",
            out.toString(),
            "--passphrase-env",
            "HS_PASS",
            "--scrypt-n",
            FAST_N);

    assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
    assertThat(r.err()).contains("warning:").contains("UNENCRYPTED").contains("delete");
    LoadedKey imported = load(out, PASSPHRASE);
    assertThat(imported.key()).isEqualTo(key);
    assertThat(imported.format()).isEqualTo(KeyFormat.HANDSHAKE_ENCRYPTED);
    assertThat(mode(out)).isEqualTo("rw-------");
  }

  @Test
  void importOfAPqkyFileKeepsItsPassphrase() throws IOException {
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(new SecureRandom());
    Path source = dir.resolve("private.key.enc");
    KeyFiles.exportPqky(
        source,
        key,
        Passphrase.copyOf(PASSPHRASE),
        KeyProtection.defaults().withScryptN(KeyProtection.MIN_N));
    Path out = dir.resolve("imported.key");

    CliRun r =
        run(
            "id",
            "import",
            source.toString(),
            "--out",
            out.toString(),
            "--passphrase-env",
            "HS_PASS",
            "--scrypt-n",
            FAST_N);

    assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
    assertThat(r.err()).as("no plaintext warning").isEmpty();
    assertThat(load(out, PASSPHRASE).key()).isEqualTo(key);
  }

  @Test
  void importWithAWrongPassphraseExitsTwoAndWritesNothing() throws IOException {
    variables.put("WRONG", "not it");
    Path source = dir.resolve("private.key.enc");
    KeyFiles.exportPqky(
        source,
        Ed25519PrivateKey.generate(new SecureRandom()),
        Passphrase.copyOf(PASSPHRASE),
        KeyProtection.defaults().withScryptN(KeyProtection.MIN_N));
    Path out = dir.resolve("imported.key");

    CliRun r =
        run(
            "id",
            "import",
            source.toString(),
            "--out",
            out.toString(),
            "--passphrase-env",
            "WRONG",
            "--scrypt-n",
            FAST_N);

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("wrong passphrase");
    assertThat(out).doesNotExist();
  }

  @Test
  void importOfACorruptFileSaysCorrupt() throws IOException {
    Path source = dir.resolve("private.key.enc");
    Files.write(source, "PQKY\u0001short".getBytes(StandardCharsets.US_ASCII));
    Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rw-------"));

    CliRun r =
        run(
            "id",
            "import",
            source.toString(),
            "--out",
            dir.resolve("x.key").toString(),
            "--passphrase-env",
            "HS_PASS");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("corrupt key file: a PQKY file has 97 bytes");
  }
}
