package dev.handshake.identity;

import static dev.handshake.identity.SealedKeyFileTest.KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.json.Json;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Plaintext key files: read for import, written only on explicit request (aiss.md §3 item 13). */
class PlaintextKeyFileTest {
  private static final String SEED_B64 = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=";

  @TempDir Path dir;

  private Path ownerOnly(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  private static LoadedKey loadWithoutPassphrase(Path file) throws IOException {
    return KeyFiles.load(file, PassphraseSource.none());
  }

  @Test
  void theReferencePlaintextFileIsReadAndReportedAsPlaintext() throws IOException {
    Path file =
        ownerOnly(
            "private.key.json",
            "{\"format\":\"plaintext\",\"version\":\"1.8.4\",\"private_key\":\""
                + SEED_B64
                + "\",\"warning\":\"not encrypted\"}");

    LoadedKey loaded = loadWithoutPassphrase(file);

    assertThat(loaded.key()).isEqualTo(KEY);
    assertThat(loaded.format()).isEqualTo(KeyFormat.PIQRYPT_PLAINTEXT);
    assertThat(loaded.plaintext()).as("callers warn and offer re-encryption").isTrue();
  }

  @Test
  void ourEarlierPlaintextFormatIsReadAndReportedAsPlaintext() throws IOException {
    Path file = dir.resolve("legacy.key");
    KeyFile.save(file, KEY);

    LoadedKey loaded = loadWithoutPassphrase(file);

    assertThat(loaded.key()).isEqualTo(KEY);
    assertThat(loaded.format()).isEqualTo(KeyFormat.HANDSHAKE_PLAINTEXT);
    assertThat(loaded.plaintext()).isTrue();
  }

  @Test
  void aBareHexSeedIsReadAndReportedAsPlaintext() throws IOException {
    Path file = ownerOnly("seed.hex", HexFormat.of().formatHex(KEY.exportSeed()) + "\n");

    LoadedKey loaded = loadWithoutPassphrase(file);

    assertThat(loaded.key()).isEqualTo(KEY);
    assertThat(loaded.format()).isEqualTo(KeyFormat.HEX_SEED);
  }

  @Test
  void aReferencePlaintextFileWithAShortSeedIsCorrupt() throws IOException {
    Path file =
        ownerOnly("private.key.json", "{\"format\":\"plaintext\",\"private_key\":\"AAAA\"}");

    SealedKeyFileTest.assertCorrupt(file, "32-byte seed");
  }

  @Test
  void aReferencePlaintextFileOthersCanReadIsRefused() throws IOException {
    Path file =
        ownerOnly(
            "private.key.json", "{\"format\":\"plaintext\",\"private_key\":\"" + SEED_B64 + "\"}");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> loadWithoutPassphrase(file))
        .isInstanceOfSatisfying(
            KeyFileException.class,
            e -> assertThat(e.reason()).isEqualTo(KeyFileException.Reason.EXPOSED));
  }

  @Test
  void plaintextExportWritesTheReferenceShapeOwnerOnly() throws IOException {
    Path file = dir.resolve("private.key.json");

    KeyFiles.exportPlaintext(file, KEY);

    JsonNode node = Json.mapper().readTree(Files.readAllBytes(file));
    assertThat(node.propertyNames()).containsExactly("format", "version", "private_key", "warning");
    assertThat(node.path("format").stringValue()).isEqualTo("plaintext");
    assertThat(node.path("version").stringValue()).isEqualTo("1.8.4");
    assertThat(node.path("private_key").stringValue()).isEqualTo(SEED_B64);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(loadWithoutPassphrase(file).key()).isEqualTo(KEY);
  }

  @Test
  void plaintextExportNeverOverwrites() throws IOException {
    Path file = ownerOnly("private.key.json", "{}");

    assertThatThrownBy(() -> KeyFiles.exportPlaintext(file, KEY))
        .isInstanceOf(FileAlreadyExistsException.class);
  }

  @Test
  void aJsonFileWithoutAFormatIsCorrupt() throws IOException {
    SealedKeyFileTest.assertCorrupt(ownerOnly("x.json", "{\"seed\":1}"), "format");
  }

  @Test
  void textThatIsNeitherJsonNorHexIsCorrupt() throws IOException {
    SealedKeyFileTest.assertCorrupt(ownerOnly("x.txt", "hello"), "not a recognised key file");
  }
}
