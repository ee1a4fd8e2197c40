package dev.handshake.identity;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Reads and writes private key files; the one place that knows every format (docs/IDENTITY.md).
 *
 * <p>{@link #load} recognises our encrypted {@code handshake-key/2}, the reference's 97-byte PQKY
 * file and plaintext {@code private.key.json} (aiss.md §2.1), our earlier {@code
 * handshake-ed25519/1} and a bare hex seed, and says which it read so that callers can warn about
 * plaintext and offer re-encryption. {@link #save} writes only our encrypted format; the reference
 * formats are written only by the explicit {@link #exportPqky} and {@link #exportPlaintext}. Every
 * file is created owner-only and never replaces an existing one; a file that group or others can
 * read is refused.
 *
 * <pre>{@code
 * try (Passphrase passphrase = Passphrase.wrap(console.readPassword("Passphrase: "))) {
 *   KeyFiles.save(path, Ed25519PrivateKey.generate(random), passphrase, KeyProtection.defaults());
 *   LoadedKey loaded = KeyFiles.load(path, PassphraseSource.of(passphrase));
 * }
 * }</pre>
 */
public final class KeyFiles {
  /** Larger files are not key files; refusing them bounds what a bad path can make us read. */
  static final int MAX_FILE_SIZE = 64 * 1024;

  private KeyFiles() {}

  /** The file's contents, recognised but not decrypted. */
  private sealed interface Contents {}

  private record Sealed(SealedKeyFile.Parsed file) implements Contents {}

  private record Pqky(byte[] bytes) implements Contents {}

  private record Plain(Ed25519PrivateKey key, KeyFormat format) implements Contents {}

  /** {@link #load(Path, PassphraseSource, int)} with the reference's default PQKY N of 2^17. */
  public static LoadedKey load(Path file, PassphraseSource passphrases) throws IOException {
    return load(file, passphrases, KeyProtection.DEFAULT_N);
  }

  /**
   * Reads the private key in {@code file}, asking {@code passphrases} only for an encrypted format.
   *
   * @param pqkyScryptN the scrypt N a PQKY file was written with (the file does not say; the
   *     reference uses 2^17 or {@code PIQRYPT_SCRYPT_N})
   * @throws KeyFileException when the file is corrupt, the passphrase wrong or the file exposed
   */
  public static LoadedKey load(Path file, PassphraseSource passphrases, int pqkyScryptN)
      throws IOException {
    Contents contents = read(file);
    return switch (contents) {
      case Sealed s ->
          new LoadedKey(
              SealedKeyFile.open(
                  s.file(), passphrase(file, KeyFormat.HANDSHAKE_ENCRYPTED, passphrases)),
              KeyFormat.HANDSHAKE_ENCRYPTED);
      case Pqky p ->
          new LoadedKey(
              PqkyKeyFile.decode(
                  p.bytes(),
                  passphrase(file, KeyFormat.PIQRYPT_ENCRYPTED, passphrases),
                  pqkyScryptN),
              KeyFormat.PIQRYPT_ENCRYPTED);
      case Plain p -> new LoadedKey(p.key(), p.format());
    };
  }

  /** {@link #describe(Path, PassphraseSource, int)} with the default PQKY N of 2^17. */
  public static KeyFileSummary describe(Path file, PassphraseSource passphrases)
      throws IOException {
    return describe(file, passphrases, KeyProtection.DEFAULT_N);
  }

  /**
   * The identity in {@code file}. Our format states its public key in clear, so no passphrase is
   * asked for (and the key is not authenticated until it is loaded); a PQKY file has to be
   * decrypted.
   */
  public static KeyFileSummary describe(Path file, PassphraseSource passphrases, int pqkyScryptN)
      throws IOException {
    Contents contents = read(file);
    return switch (contents) {
      case Sealed s ->
          new KeyFileSummary(KeyFormat.HANDSHAKE_ENCRYPTED, s.file().publicKey(), s.file().label());
      case Pqky p -> {
        Ed25519PrivateKey key =
            PqkyKeyFile.decode(
                p.bytes(), passphrase(file, KeyFormat.PIQRYPT_ENCRYPTED, passphrases), pqkyScryptN);
        yield new KeyFileSummary(KeyFormat.PIQRYPT_ENCRYPTED, key.publicKey(), Optional.empty());
      }
      case Plain p -> new KeyFileSummary(p.format(), p.key().publicKey(), Optional.empty());
    };
  }

  /** {@link #save(Path, Ed25519PrivateKey, Passphrase, KeyProtection, Optional)} with no label. */
  public static void save(
      Path file, Ed25519PrivateKey key, Passphrase passphrase, KeyProtection protection)
      throws IOException {
    save(file, key, passphrase, protection, Optional.empty());
  }

  /**
   * Writes {@code key} to the new owner-only file {@code file} in our encrypted format.
   *
   * @param label a name shown by {@code id show}; stored in clear and not authenticated
   * @throws java.nio.file.FileAlreadyExistsException when {@code file} exists
   * @throws IllegalArgumentException when the passphrase is empty
   */
  public static void save(
      Path file,
      Ed25519PrivateKey key,
      Passphrase passphrase,
      KeyProtection protection,
      Optional<String> label)
      throws IOException {
    requireNonEmpty(passphrase);
    OwnerOnlyFiles.writeNew(file, SealedKeyFile.encode(key, passphrase, protection, label));
  }

  /**
   * Writes {@code key} as the reference's 97-byte {@code private.key.enc}, with scrypt N from
   * {@code protection} (r and p must be 8 and 1). A reference reader needs {@code PIQRYPT_SCRYPT_N}
   * set to that N unless it is the default 2^17.
   */
  public static void exportPqky(
      Path file, Ed25519PrivateKey key, Passphrase passphrase, KeyProtection protection)
      throws IOException {
    requireNonEmpty(passphrase);
    OwnerOnlyFiles.writeNew(file, PqkyKeyFile.encode(key, passphrase, protection));
  }

  /**
   * Writes {@code key} unencrypted as the reference's {@code private.key.json}, owner-only. Only
   * for moving a key to a tool that cannot read an encrypted file; the caller should have asked the
   * user to confirm.
   */
  public static void exportPlaintext(Path file, Ed25519PrivateKey key) throws IOException {
    byte[] bytes = PiqryptPlaintextKeyFile.encode(key);
    try {
      OwnerOnlyFiles.writeNew(file, bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private static Passphrase passphrase(Path file, KeyFormat format, PassphraseSource source)
      throws IOException {
    Passphrase passphrase = source.passphraseFor(file, format);
    if (passphrase.isEmpty()) {
      throw KeyFileException.wrongPassphrase(": the passphrase is empty");
    }
    return passphrase;
  }

  private static void requireNonEmpty(Passphrase passphrase) {
    if (passphrase.isEmpty()) {
      throw new IllegalArgumentException("a key file passphrase must not be empty");
    }
  }

  private static Contents read(Path file) throws IOException {
    OwnerOnlyFiles.checkOwnerOnly(file);
    if (Files.size(file) > MAX_FILE_SIZE) {
      throw KeyFileException.corrupt(file + " is larger than any key file");
    }
    byte[] bytes = Files.readAllBytes(file);
    try {
      return recognise(bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private static Contents recognise(byte[] bytes) throws KeyFileException {
    if (PqkyKeyFile.hasMagic(bytes)) {
      PqkyKeyFile.checkStructure(bytes);
      return new Pqky(bytes.clone());
    }
    Optional<String> text = utf8(bytes);
    if (text.isEmpty()) {
      throw KeyFileException.corrupt(
          bytes.length == PqkyKeyFile.SIZE
              ? "bad magic (expected PQKY)"
              : "not a recognised key file (binary, " + bytes.length + " bytes)");
    }
    String trimmed = text.get().strip();
    if (trimmed.matches("[0-9a-fA-F]{64}")) {
      byte[] seed = HexFormat.of().parseHex(trimmed);
      try {
        return new Plain(Ed25519PrivateKey.fromSeed(seed), KeyFormat.HEX_SEED);
      } finally {
        Arrays.fill(seed, (byte) 0);
      }
    }
    JsonNode node =
        Json.tryParse(text.get().getBytes(StandardCharsets.UTF_8))
            .filter(JsonNode::isObject)
            .orElseThrow(() -> KeyFileException.corrupt("not a recognised key file"));
    String format = node.path("format").isString() ? node.path("format").stringValue() : "";
    return switch (format) {
      case SealedKeyFile.FORMAT -> new Sealed(SealedKeyFile.parse(node));
      case PiqryptPlaintextKeyFile.FORMAT ->
          new Plain(PiqryptPlaintextKeyFile.decode(node), KeyFormat.PIQRYPT_PLAINTEXT);
      case KeyFile.FORMAT -> new Plain(KeyFile.decode(node), KeyFormat.HANDSHAKE_PLAINTEXT);
      case "" -> throw KeyFileException.corrupt("a JSON key file needs a \"format\" field");
      default -> throw KeyFileException.corrupt("unknown key file format \"" + format + "\"");
    };
  }

  private static Optional<String> utf8(byte[] bytes) {
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
