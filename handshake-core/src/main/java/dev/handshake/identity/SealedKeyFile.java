package dev.handshake.identity;

import dev.handshake.crypto.Base64Text;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.json.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Our encrypted key file, {@code handshake-key/2} (docs/IDENTITY.md): JSON whose public parts
 * (algorithm, agent id, public key, label) are in clear, so an identity can be shown without the
 * passphrase, and whose seed is sealed with AES-256-GCM under a scrypt key. The additional
 * authenticated data binds the format, the algorithm and the public key, so a file whose clear key
 * was swapped does not decrypt; after decryption the seed must also derive that key.
 */
final class SealedKeyFile {
  static final String FORMAT = "handshake-key/2";
  static final String KDF = "scrypt";
  static final String CIPHER = "aes-256-gcm";

  private SealedKeyFile() {}

  /** The parsed file, not yet decrypted. */
  record Parsed(
      Ed25519PublicKey publicKey,
      Optional<String> label,
      SeedCipher.Scrypt kdf,
      byte[] nonce,
      byte[] sealed) {}

  /** {@code "handshake-key/2" 0x00 "Ed25519" 0x00 raw public key (32 bytes)}. */
  static byte[] aad(Ed25519PublicKey key) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(FORMAT.getBytes(StandardCharsets.US_ASCII));
    out.write(0);
    out.writeBytes(IdentityDocument.ALGORITHM.getBytes(StandardCharsets.US_ASCII));
    out.write(0);
    out.writeBytes(key.raw());
    return out.toByteArray();
  }

  static byte[] encode(
      Ed25519PrivateKey key,
      Passphrase passphrase,
      KeyProtection protection,
      Optional<String> label) {
    byte[] salt = new byte[SeedCipher.SALT_SIZE];
    byte[] nonce = new byte[SeedCipher.NONCE_SIZE];
    protection.random().nextBytes(salt);
    protection.random().nextBytes(nonce);
    SeedCipher.Scrypt kdf =
        new SeedCipher.Scrypt(
            protection.scryptN(), protection.scryptR(), protection.scryptP(), salt);
    Ed25519PublicKey pub = key.publicKey();
    byte[] sealed = SeedCipher.seal(key, passphrase, kdf, nonce, aad(pub));

    ObjectNode node = Json.object();
    node.put("format", FORMAT);
    node.put("algorithm", IdentityDocument.ALGORITHM);
    node.put("agent_id", AgentIds.aiss(pub));
    node.put("public_key", pub.base64());
    label.ifPresent(l -> node.put("label", l));
    ObjectNode kdfNode = node.putObject("kdf");
    kdfNode.put("name", KDF);
    kdfNode.put("n", kdf.n());
    kdfNode.put("r", kdf.r());
    kdfNode.put("p", kdf.p());
    kdfNode.put("salt", Base64Text.encode(salt));
    ObjectNode cipherNode = node.putObject("cipher");
    cipherNode.put("name", CIPHER);
    cipherNode.put("nonce", Base64Text.encode(nonce));
    cipherNode.put("ciphertext", Base64Text.encode(sealed));
    return Json.pretty(node).getBytes(StandardCharsets.UTF_8);
  }

  /** Reads every field; nothing is decrypted yet. */
  static Parsed parse(JsonNode node) throws KeyFileException {
    String algorithm = text(node, "algorithm");
    if (!IdentityDocument.ALGORITHM.equals(algorithm)) {
      throw KeyFileException.corrupt("algorithm must be Ed25519, got " + algorithm);
    }
    Ed25519PublicKey pub =
        Base64Text.decodeStrict(text(node, "public_key"))
            .flatMap(Ed25519PublicKey::parse)
            .orElseThrow(
                () -> KeyFileException.corrupt("public_key is not a Base64 Ed25519 public key"));
    if (!AgentIds.isAissIdOf(text(node, "agent_id"), pub)) {
      throw KeyFileException.corrupt("agent_id is not derived from public_key");
    }
    JsonNode label = node.path("label");
    if (!label.isMissingNode() && !label.isString()) {
      throw KeyFileException.corrupt("label must be a string");
    }

    JsonNode kdfNode = node.path("kdf");
    if (!KDF.equals(text(kdfNode, "name"))) {
      throw KeyFileException.corrupt("kdf.name must be " + KDF);
    }
    int n = integer(kdfNode, "n");
    int r = integer(kdfNode, "r");
    int p = integer(kdfNode, "p");
    String problem = KeyProtection.checkScrypt(n, r, p);
    if (problem != null) {
      throw KeyFileException.corrupt(problem);
    }
    byte[] salt = bytes(kdfNode, "kdf.salt", SeedCipher.SALT_SIZE);

    JsonNode cipherNode = node.path("cipher");
    if (!CIPHER.equals(text(cipherNode, "name"))) {
      throw KeyFileException.corrupt("cipher.name must be " + CIPHER);
    }
    byte[] nonce = bytes(cipherNode, "cipher.nonce", SeedCipher.NONCE_SIZE);
    byte[] sealed = bytes(cipherNode, "cipher.ciphertext", SeedCipher.SEALED_SIZE);
    return new Parsed(
        pub,
        label.isString() ? Optional.of(label.stringValue()) : Optional.empty(),
        new SeedCipher.Scrypt(n, r, p, salt),
        nonce,
        sealed);
  }

  /** Decrypts the seed and checks that it derives the public key stated in the file. */
  static Ed25519PrivateKey open(Parsed file, Passphrase passphrase) throws KeyFileException {
    Ed25519PrivateKey key =
        SeedCipher.open(file.sealed(), passphrase, file.kdf(), file.nonce(), aad(file.publicKey()));
    if (!key.publicKey().equals(file.publicKey())) {
      throw KeyFileException.corrupt("the encrypted seed does not belong to public_key");
    }
    return key;
  }

  private static String text(JsonNode node, String field) throws KeyFileException {
    JsonNode value = node.path(field);
    if (!value.isString()) {
      throw KeyFileException.corrupt(field + " is missing or not a string");
    }
    return value.stringValue();
  }

  private static int integer(JsonNode node, String field) throws KeyFileException {
    JsonNode value = node.path(field);
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw KeyFileException.corrupt("kdf." + field + " is missing or not an integer");
    }
    return value.intValue();
  }

  private static byte[] bytes(JsonNode node, String name, int size) throws KeyFileException {
    String field = name.substring(name.indexOf('.') + 1);
    byte[] value =
        Base64Text.decodeStrict(text(node, field))
            .orElseThrow(() -> KeyFileException.corrupt(name + " is not standard Base64"));
    if (value.length != size) {
      throw KeyFileException.corrupt(name + " must be " + size + " bytes, got " + value.length);
    }
    return value;
  }
}
