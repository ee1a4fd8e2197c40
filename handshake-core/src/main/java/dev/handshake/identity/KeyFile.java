package dev.handshake.identity;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.json.Json;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes Ed25519 key files:
 *
 * <pre>{@code
 * {"format":"handshake-ed25519/1","public_key_hex":"d75a…","seed_b64":"nWGx…"}
 * }</pre>
 *
 * <p>Files are created owner-only ({@code 0600}) and never overwritten; a file that group or
 * others can read is refused on load, because the seed is the identity. A bare 64-character hex
 * seed (as in RFC 8032 test vectors) is accepted on load too.
 */
public final class KeyFile {
  public static final String FORMAT = "handshake-ed25519/1";
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private KeyFile() {}

  /** Writes {@code key} to a new owner-only file; fails if {@code file} exists. */
  public static void save(Path file, Ed25519PrivateKey key) throws IOException {
    if (Files.exists(file)) {
      throw new FileAlreadyExistsException(file.toString(), null, "refusing to overwrite a key file");
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    ObjectNode node = Json.object();
    node.put("format", FORMAT);
    node.put("public_key_hex", key.publicKey().hex());
    node.put("seed_b64", Base64.getEncoder().encodeToString(key.exportSeed()));
    byte[] bytes = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    Files.write(file, bytes);
  }

  /** Loads a key file written by {@link #save} (or a bare hex seed). */
  public static Ed25519PrivateKey load(Path file) throws IOException {
    checkOwnerOnly(file);
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
    byte[] seed;
    try {
      seed = Base64.getDecoder().decode(node.path("seed_b64").stringValue(""));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": seed_b64 is not Base64", e);
    }
    if (seed.length != Ed25519PrivateKey.SEED_SIZE) {
      throw new IOException(file + ": seed must be 32 bytes");
    }
    Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(seed);
    String claimed = node.path("public_key_hex").stringValue("");
    if (!claimed.isEmpty() && !claimed.equalsIgnoreCase(key.publicKey().hex())) {
      throw new IOException(file + ": public_key_hex does not match the seed");
    }
    return key;
  }

  private static void checkOwnerOnly(Path file) throws IOException {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      for (PosixFilePermission p : perms) {
        if (p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_")) {
          throw new IOException(file + " is readable by others; run chmod 600 " + file);
        }
      }
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system (Windows): nothing to check.
    }
  }
}
