package dev.handshake.identity;

import static dev.handshake.identity.SealedKeyFileTest.FAST;
import static dev.handshake.identity.SealedKeyFileTest.KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.crypto.Ed25519PrivateKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.SCrypt;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The reference's 97-byte {@code private.key.enc} (aiss.md §2.1; checklist item 9). */
class PqkyKeyFileTest {
  private static final int N = KeyProtection.MIN_N;
  private static final HexFormat HEX = HexFormat.of();

  /**
   * Written by Python ({@code hashlib.scrypt} and {@code cryptography}'s AESGCM) from the spec
   * layout: RFC 8032 TEST 1 seed, passphrase "pässwörd 🔑", salt 00..1f, nonce 64..6f, N = 2^14.
   */
  private static final String PYTHON_PQKY =
      "50514b5901000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
          + "6465666768696a6b6c6d6e6fcdc60fed83fa3e888f29783213981bc23e31093387cf9eb9bf47c2a6"
          + "4fd0634401d3b8b1cb7ae40b23d5342b805e237f";

  @TempDir Path dir;

  private Path exported(String passphrase) throws IOException {
    Path file = dir.resolve("private.key.enc");
    KeyFiles.exportPqky(file, KEY, Passphrase.copyOf(passphrase), FAST);
    return file;
  }

  private Path ownerOnly(String name, byte[] bytes) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, bytes);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  private static LoadedKey load(Path file, String passphrase) throws IOException {
    return KeyFiles.load(file, PassphraseSource.of(Passphrase.copyOf(passphrase)), N);
  }

  @Test
  @DisplayName("AISS checklist 9: the file is exactly 97 bytes")
  void anExportedFileIsExactly97BytesWithMagicAndVersion() throws IOException {
    byte[] bytes = Files.readAllBytes(exported("pw"));

    assertThat(bytes).hasSize(97);
    assertThat(new String(bytes, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("PQKY");
    assertThat(bytes[4]).isEqualTo((byte) 1);
  }

  @Test
  void anExportedFileLoadsBackAsPqky() throws IOException {
    LoadedKey loaded = load(exported("pw"), "pw");

    assertThat(loaded.key()).isEqualTo(KEY);
    assertThat(loaded.format()).isEqualTo(KeyFormat.PIQRYPT_ENCRYPTED);
    assertThat(loaded.plaintext()).isFalse();
  }

  @Test
  @DisplayName("AISS checklist 9: two encryptions of one key differ")
  void twoEncryptionsOfOneKeyDiffer() throws IOException {
    byte[] first = Files.readAllBytes(exported("pw"));
    Files.delete(dir.resolve("private.key.enc"));
    byte[] second = Files.readAllBytes(exported("pw"));

    assertThat(Arrays.copyOfRange(first, 5, 37))
        .as("salt")
        .isNotEqualTo(Arrays.copyOfRange(second, 5, 37));
    assertThat(Arrays.copyOfRange(first, 49, 97))
        .as("ciphertext")
        .isNotEqualTo(Arrays.copyOfRange(second, 49, 97));
  }

  @Test
  void aFileWrittenByPythonFromTheSpecLayoutDecrypts() throws IOException {
    Path file = ownerOnly("python.enc", HEX.parseHex(PYTHON_PQKY));

    LoadedKey loaded = load(file, "pässwörd 🔑");

    assertThat(loaded.key()).isEqualTo(KEY);
  }

  @Test
  void aFileAssembledHereWithBouncyCastleAndJcaDecrypts() throws Exception {
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(new SecureRandom());
    byte[] salt = new byte[32];
    byte[] nonce = new byte[12];
    new SecureRandom().nextBytes(salt);
    new SecureRandom().nextBytes(nonce);
    byte[] aesKey =
        SCrypt.generate("independent".getBytes(StandardCharsets.UTF_8), salt, N, 8, 1, 32);
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(
        Cipher.ENCRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new GCMParameterSpec(128, nonce));
    byte[] sealed = gcm.doFinal(key.exportSeed());
    byte[] file = new byte[97];
    System.arraycopy("PQKY".getBytes(StandardCharsets.US_ASCII), 0, file, 0, 4);
    file[4] = 0x01;
    System.arraycopy(salt, 0, file, 5, 32);
    System.arraycopy(nonce, 0, file, 37, 12);
    System.arraycopy(sealed, 0, file, 49, 48);

    LoadedKey loaded = load(ownerOnly("independent.enc", file), "independent");

    assertThat(loaded.key()).isEqualTo(key);
  }

  @Test
  void anExportedFileDecryptsWithBouncyCastleAndJcaFollowingTheSpecLayout() throws Exception {
    byte[] file = Files.readAllBytes(exported("pw"));

    byte[] aesKey =
        SCrypt.generate(
            "pw".getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(file, 5, 37), N, 8, 1, 32);
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(
        Cipher.DECRYPT_MODE,
        new SecretKeySpec(aesKey, "AES"),
        new GCMParameterSpec(128, Arrays.copyOfRange(file, 37, 49)));
    byte[] seed = gcm.doFinal(Arrays.copyOfRange(file, 49, 97));

    assertThat(seed).isEqualTo(KEY.exportSeed());
  }

  @Test
  @DisplayName("AISS checklist 9: bad magic is corrupt")
  void badMagicIsCorrupt() throws IOException {
    byte[] bytes = Files.readAllBytes(exported("pw"));
    bytes[0] = 'X';

    SealedKeyFileTest.assertCorrupt(ownerOnly("bad-magic.enc", bytes), "magic");
  }

  @Test
  @DisplayName("AISS checklist 9: an unknown version is corrupt")
  void anUnknownVersionIsCorrupt() throws IOException {
    byte[] bytes = Files.readAllBytes(exported("pw"));
    bytes[4] = 2;

    SealedKeyFileTest.assertCorrupt(ownerOnly("v2.enc", bytes), "version 2");
  }

  @ParameterizedTest
  @ValueSource(ints = {96, 60, 49, 5, 4, 98})
  @DisplayName("AISS checklist 9: a truncated (or extended) file is corrupt")
  void aFileOfAnyOtherSizeIsCorrupt(int size) throws IOException {
    byte[] bytes = Arrays.copyOf(Files.readAllBytes(exported("pw")), size);

    SealedKeyFileTest.assertCorrupt(ownerOnly("cut.enc", bytes), "97 bytes");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 3, 4})
  @DisplayName("AISS checklist 9: a flipped header byte is corrupt")
  void aFlippedHeaderByteIsCorrupt(int offset) throws IOException {
    byte[] bytes = Files.readAllBytes(exported("pw"));
    bytes[offset] ^= 0x01;

    SealedKeyFileTest.assertCorrupt(ownerOnly("flipped.enc", bytes), "");
  }

  @ParameterizedTest
  @ValueSource(ints = {5, 36, 37, 48, 49, 80, 96})
  @DisplayName("AISS checklist 9: a flipped salt, nonce, ciphertext or tag byte is rejected")
  void aFlippedBodyByteFailsTheTag(int offset) throws IOException {
    byte[] bytes = Files.readAllBytes(exported("pw"));
    bytes[offset] ^= 0x01;
    Path file = ownerOnly("flipped.enc", bytes);

    assertThatThrownBy(() -> load(file, "pw"))
        .isInstanceOfSatisfying(
            KeyFileException.class,
            e -> assertThat(e.reason()).isEqualTo(KeyFileException.Reason.WRONG_PASSPHRASE));
  }

  @Test
  @DisplayName("AISS checklist 9: a wrong passphrase is rejected")
  void aWrongPassphraseIsRejected() throws IOException {
    Path file = exported("right");

    assertThatThrownBy(() -> load(file, "wrong"))
        .isInstanceOf(KeyFileException.class)
        .hasMessageStartingWith("wrong passphrase");
  }

  @Test
  @DisplayName("AISS checklist 9: an empty passphrase is rejected")
  void anEmptyPassphraseIsRejected() throws IOException {
    Path file = exported("pw");

    assertThatThrownBy(() -> load(file, "")).isInstanceOf(KeyFileException.class);
    assertThatThrownBy(
            () -> KeyFiles.exportPqky(dir.resolve("e.enc"), KEY, Passphrase.copyOf(""), FAST))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readingWithAnotherScryptNThanTheWriterUsedFailsAsAWrongPassphrase() throws IOException {
    Path file = exported("pw");

    assertThatThrownBy(
            () -> KeyFiles.load(file, PassphraseSource.of(Passphrase.copyOf("pw")), N * 2))
        .isInstanceOf(KeyFileException.class)
        .hasMessageStartingWith("wrong passphrase");
  }

  @Test
  void describeDecryptsBecauseAPqkyFileHasNoClearPublicKey() throws IOException {
    Path file = exported("pw");

    KeyFileSummary summary =
        KeyFiles.describe(file, PassphraseSource.of(Passphrase.copyOf("pw")), N);

    assertThat(summary.publicKey()).isEqualTo(KEY.publicKey());
    assertThatThrownBy(() -> KeyFiles.describe(file, PassphraseSource.none(), N))
        .hasMessageContaining("needs a passphrase");
  }

  @Test
  void theExportedFileIsOwnerOnly() throws IOException {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(exported("pw"))))
        .isEqualTo("rw-------");
  }

  @Test
  void pqkyCannotBeWrittenWithScryptParametersTheReferenceCannotRead() {
    KeyProtection odd = FAST.withScrypt(N, 4, 2);

    assertThatThrownBy(
            () -> KeyFiles.exportPqky(dir.resolve("odd.enc"), KEY, Passphrase.copyOf("pw"), odd))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
