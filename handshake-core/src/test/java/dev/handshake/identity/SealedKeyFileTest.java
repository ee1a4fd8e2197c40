package dev.handshake.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Our encrypted key file {@code handshake-key/2} through {@link KeyFiles}. */
class SealedKeyFileTest {
  /** The smallest N a reader accepts, so that tests stay fast. */
  static final KeyProtection FAST = KeyProtection.defaults().withScryptN(KeyProtection.MIN_N);

  static final Ed25519PrivateKey KEY =
      Ed25519PrivateKey.fromSeed(
          HexFormat.of()
              .parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));

  @TempDir Path dir;

  private Path saved(String name, String passphrase) throws IOException {
    Path file = dir.resolve(name);
    KeyFiles.save(file, KEY, Passphrase.copyOf(passphrase), FAST);
    return file;
  }

  private static ObjectNode json(Path file) throws IOException {
    return (ObjectNode) Json.mapper().readTree(Files.readAllBytes(file));
  }

  private static void rewrite(Path file, JsonNode node) throws IOException {
    Files.write(file, Json.mapper().writeValueAsBytes(node));
  }

  @Test
  void aSavedKeyLoadsBackWithItsPassphrase() throws IOException {
    Path file = saved("agent.key", "correct horse");

    LoadedKey loaded = KeyFiles.load(file, PassphraseSource.of(Passphrase.copyOf("correct horse")));

    assertThat(loaded.key()).isEqualTo(KEY);
    assertThat(loaded.format()).isEqualTo(KeyFormat.HANDSHAKE_ENCRYPTED);
    assertThat(loaded.plaintext()).isFalse();
  }

  @Test
  void theFileStatesThePublicPartsInClearAndNotTheSeed() throws IOException {
    Path file = saved("agent.key", "pw");

    ObjectNode node = json(file);
    String text = Files.readString(file);

    assertThat(node.path("format").stringValue()).isEqualTo("handshake-key/2");
    assertThat(node.path("algorithm").stringValue()).isEqualTo("Ed25519");
    assertThat(node.path("agent_id").stringValue()).isEqualTo(AgentIds.aiss(KEY.publicKey()));
    assertThat(node.path("public_key").stringValue()).isEqualTo(KEY.publicKey().base64());
    assertThat(node.path("kdf").path("name").stringValue()).isEqualTo("scrypt");
    assertThat(node.path("cipher").path("name").stringValue()).isEqualTo("aes-256-gcm");
    assertThat(text)
        .as("neither hex nor Base64 of the seed appears")
        .doesNotContain(HexFormat.of().formatHex(KEY.exportSeed()))
        .doesNotContain(java.util.Base64.getEncoder().encodeToString(KEY.exportSeed()));
  }

  @Test
  void theDefaultProtectionWritesScryptNTwoToTheSeventeenthR8P1() throws IOException {
    Path file = dir.resolve("default.key");

    KeyFiles.save(file, KEY, Passphrase.copyOf("pw"), KeyProtection.defaults());

    JsonNode kdf = json(file).path("kdf");
    assertThat(kdf.path("n").intValue()).isEqualTo(131072);
    assertThat(kdf.path("r").intValue()).isEqualTo(8);
    assertThat(kdf.path("p").intValue()).isEqualTo(1);
    assertThat(kdf.path("salt").stringValue()).hasSize(44);
  }

  @Test
  void twoEncryptionsOfOneKeyDiffer() throws IOException {
    ObjectNode first = json(saved("a.key", "pw"));
    ObjectNode second = json(saved("b.key", "pw"));

    assertThat(first.path("kdf").path("salt")).isNotEqualTo(second.path("kdf").path("salt"));
    assertThat(first.path("cipher").path("nonce"))
        .isNotEqualTo(second.path("cipher").path("nonce"));
    assertThat(first.path("cipher").path("ciphertext"))
        .isNotEqualTo(second.path("cipher").path("ciphertext"));
  }

  @Test
  void theFileIsCreatedOwnerOnly() throws IOException {
    Path file = saved("agent.key", "pw");

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void aFileOthersCanReadIsRefused() throws IOException {
    Path file = saved("agent.key", "pw");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> KeyFiles.load(file, PassphraseSource.of(Passphrase.copyOf("pw"))))
        .isInstanceOfSatisfying(
            KeyFileException.class,
            e -> assertThat(e.reason()).isEqualTo(KeyFileException.Reason.EXPOSED))
        .hasMessageContaining("chmod 600");
  }

  @Test
  void anExistingFileIsNeverOverwritten() throws IOException {
    Path file = dir.resolve("agent.key");
    Files.writeString(file, "keep me");

    assertThatThrownBy(() -> KeyFiles.save(file, KEY, Passphrase.copyOf("pw"), FAST))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readString(file)).isEqualTo("keep me");
    try (var listing = Files.list(dir)) {
      assertThat(listing).as("no temporary file is left behind").containsExactly(file);
    }
  }

  @Test
  void aWrongPassphraseIsReportedAsSuch() throws IOException {
    Path file = saved("agent.key", "right");

    assertThatThrownBy(() -> KeyFiles.load(file, PassphraseSource.of(Passphrase.copyOf("wrong"))))
        .isInstanceOfSatisfying(
            KeyFileException.class,
            e -> assertThat(e.reason()).isEqualTo(KeyFileException.Reason.WRONG_PASSPHRASE))
        .hasMessageStartingWith("wrong passphrase");
  }

  @Test
  void anEmptyPassphraseIsRejectedOnLoadAndOnSave() throws IOException {
    Path file = saved("agent.key", "pw");

    assertThatThrownBy(() -> KeyFiles.load(file, PassphraseSource.of(Passphrase.copyOf(""))))
        .isInstanceOfSatisfying(
            KeyFileException.class,
            e -> assertThat(e.reason()).isEqualTo(KeyFileException.Reason.WRONG_PASSPHRASE));
    assertThatThrownBy(
            () -> KeyFiles.save(dir.resolve("empty.key"), KEY, Passphrase.copyOf(""), FAST))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSwappedPublicKeyIsRefused() throws IOException {
    Path file = saved("agent.key", "pw");
    Ed25519PrivateKey other = Ed25519PrivateKey.generate(new SecureRandom());
    ObjectNode node = json(file);
    node.put("public_key", other.publicKey().base64());
    node.put("agent_id", AgentIds.aiss(other.publicKey()));
    rewrite(file, node);

    assertThatThrownBy(() -> KeyFiles.load(file, PassphraseSource.of(Passphrase.copyOf("pw"))))
        .as("the public key is bound as AAD, so the tag fails")
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("altered");
  }

  @Test
  void aPublicKeyThatDoesNotMatchItsAgentIdIsCorrupt() throws IOException {
    Path file = saved("agent.key", "pw");
    ObjectNode node = json(file);
    node.put("public_key", Ed25519PrivateKey.generate(new SecureRandom()).publicKey().base64());
    rewrite(file, node);

    assertCorrupt(file, "agent_id");
  }

  @Test
  void scryptParametersBelowTheFloorOrAboveTheCeilingAreCorrupt() throws IOException {
    Path file = saved("agent.key", "pw");
    ObjectNode node = json(file);

    ((ObjectNode) node.path("kdf")).put("n", 8192);
    rewrite(file, node);
    assertCorrupt(file, "scrypt N");

    ((ObjectNode) node.path("kdf")).put("n", 1 << 23);
    rewrite(file, node);
    assertCorrupt(file, "scrypt N");

    ((ObjectNode) node.path("kdf")).put("n", 1 << 20).put("r", 32);
    rewrite(file, node);
    assertCorrupt(file, "1 GiB");

    ((ObjectNode) node.path("kdf")).put("n", 1 << 14).put("r", 8).put("p", 1000);
    rewrite(file, node);
    assertCorrupt(file, "p in");
  }

  @Test
  void aTruncatedCiphertextIsCorrupt() throws IOException {
    Path file = saved("agent.key", "pw");
    ObjectNode node = json(file);
    ((ObjectNode) node.path("cipher")).put("ciphertext", "AAAA");
    rewrite(file, node);

    assertCorrupt(file, "cipher.ciphertext");
  }

  @Test
  void anUnknownFormatIsCorrupt() throws IOException {
    Path file = saved("agent.key", "pw");
    ObjectNode node = json(file);
    node.put("format", "handshake-key/9");
    rewrite(file, node);

    assertCorrupt(file, "handshake-key/9");
  }

  @Test
  void oneFlippedCiphertextByteFailsTheTag() throws IOException {
    Path file = saved("agent.key", "pw");
    ObjectNode node = json(file);
    byte[] sealed =
        java.util.Base64.getDecoder().decode(node.path("cipher").path("ciphertext").stringValue());
    sealed[5] ^= 1;
    ((ObjectNode) node.path("cipher"))
        .put("ciphertext", java.util.Base64.getEncoder().encodeToString(sealed));
    rewrite(file, node);

    assertThatThrownBy(() -> KeyFiles.load(file, PassphraseSource.of(Passphrase.copyOf("pw"))))
        .isInstanceOfSatisfying(
            KeyFileException.class,
            e -> assertThat(e.reason()).isEqualTo(KeyFileException.Reason.WRONG_PASSPHRASE));
  }

  @Test
  void describeReadsTheIdentityWithoutAskingForThePassphrase() throws IOException {
    Path file = dir.resolve("agent.key");
    KeyFiles.save(file, KEY, Passphrase.copyOf("pw"), FAST, Optional.of("alice"));
    AtomicInteger asked = new AtomicInteger();

    KeyFileSummary summary =
        KeyFiles.describe(
            file,
            (f, format) -> {
              asked.incrementAndGet();
              return Passphrase.copyOf("pw");
            });

    assertThat(asked).as("passphrase requests").hasValue(0);
    assertThat(summary.publicKey()).isEqualTo(KEY.publicKey());
    assertThat(summary.label()).contains("alice");
    assertThat(summary.format()).isEqualTo(KeyFormat.HANDSHAKE_ENCRYPTED);
  }

  @Test
  void theSourcesPassphraseIsNotWipedByLoading() throws IOException {
    Path file = saved("agent.key", "pw");
    Passphrase passphrase = Passphrase.copyOf("pw");

    KeyFiles.load(file, PassphraseSource.of(passphrase));

    assertThat(passphrase.isWiped()).as("the source owns its passphrase").isFalse();
  }

  @Test
  void aFileLargerThanAnyKeyFileIsCorrupt() throws IOException {
    Path file = dir.resolve("big.key");
    Files.write(file, "x".repeat(KeyFiles.MAX_FILE_SIZE + 1).getBytes(StandardCharsets.US_ASCII));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

    assertCorrupt(file, "larger");
  }

  static void assertCorrupt(Path file, String detail) {
    assertThatThrownBy(() -> KeyFiles.load(file, PassphraseSource.of(Passphrase.copyOf("pw"))))
        .isInstanceOfSatisfying(
            KeyFileException.class,
            e -> assertThat(e.reason()).isEqualTo(KeyFileException.Reason.CORRUPT))
        .hasMessageStartingWith("corrupt key file: ")
        .hasMessageContaining(detail);
  }
}
