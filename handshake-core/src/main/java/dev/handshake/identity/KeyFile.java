package dev.handshake.identity;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Our earlier, unencrypted key file format:
 *
 * <pre>{@code
 * {"format":"handshake-ed25519/1","public_key_hex":"d75a…","seed_b64":"nWGx…"}
 * }</pre>
 *
 * <p>Kept so that existing files still load; new keys are written encrypted by {@link KeyFiles},
 * which also reads this format (and reports it as plaintext so that callers offer re-encryption).
 * Files are created owner-only ({@code 0600}) and never overwritten; a file that group or others
 * can read is refused on load, because the seed is the identity. A bare 64-character hex seed (as
 * in RFC 8032 test vectors) is accepted on load too.
 */
public final class KeyFile {
  public static final String FORMAT = "handshake-ed25519/1";

  private KeyFile() {}

  /**
   * Writes {@code key} unencrypted to a new owner-only file; fails if {@code file} exists. Prefer
   * {@link KeyFiles#save}, which encrypts.
   */
  public static void save(Path file, Ed25519PrivateKey key) throws IOException {
    ObjectNode node = Json.object();
    node.put("format", FORMAT);
    node.put("public_key_hex", key.publicKey().hex());
    byte[] seed = key.exportSeed();
    node.put("seed_b64", Base64.getEncoder().encodeToString(seed));
    Arrays.fill(seed, (byte) 0);
    OwnerOnlyFiles.writeNew(file, Json.pretty(node).getBytes(StandardCharsets.UTF_8));
  }

  /** Loads a key file written by {@link #save} (or a bare hex seed). */
  public static Ed25519PrivateKey load(Path file) throws IOException {
    OwnerOnlyFiles.checkOwnerOnly(file);
    String text = Files.readString(file).trim();
    if (text.matches("[0-9a-fA-F]{64}")) {
      return Ed25519PrivateKey.fromSeed(HexFormat.of().parseHex(text));
    }
    JsonNode node;
    try {
      node = Json.mapper().readTree(text);
    } catch (RuntimeException e) {
      throw new IOException(file + ": not a Handshake key file", e);
    }
    if (node == null || !FORMAT.equals(node.path("format").stringValue(""))) {
      throw new IOException(file + ": not a " + FORMAT + " key file");
    }
    try {
      return decode(node);
    } catch (KeyFileException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /** The key in a parsed {@code handshake-ed25519/1} document. */
  static Ed25519PrivateKey decode(JsonNode node) throws KeyFileException {
    byte[] seed;
    try {
      seed = Base64.getDecoder().decode(node.path("seed_b64").stringValue(""));
    } catch (IllegalArgumentException e) {
      throw KeyFileException.corrupt("seed_b64 is not Base64");
    }
    try {
      if (seed.length != Ed25519PrivateKey.SEED_SIZE) {
        throw KeyFileException.corrupt("seed must be 32 bytes");
      }
      Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(seed);
      String claimed = node.path("public_key_hex").stringValue("");
      if (!claimed.isEmpty() && !claimed.equalsIgnoreCase(key.publicKey().hex())) {
        throw KeyFileException.corrupt("public_key_hex does not match the seed");
      }
      return key;
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }
}
