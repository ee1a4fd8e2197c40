package dev.handshake.relay;

import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@link PinStore} kept in a JSON file ({@code {"bot:a": "<base64 raw key>", ...}}), so pins
 * survive restarts. The file is rewritten atomically (write, then rename) before a new pin is
 * acknowledged; pins are few and rarely added, so a rewrite per pin is cheap.
 */
public final class FilePinStore implements PinStore {
  private final Path file;
  private final TreeMap<String, Ed25519PublicKey> pins = new TreeMap<>();

  /** Loads {@code file} if it exists; {@code registry} entries win over and extend the file. */
  public FilePinStore(Path file, Map<String, Ed25519PublicKey> registry) {
    this.file = file;
    if (Files.exists(file)) {
      load();
    }
    pins.putAll(registry);
  }

  private void load() {
    try {
      JsonNode root = Json.mapper().readTree(Files.readAllBytes(file));
      if (!root.isObject()) {
        throw new IllegalStateException(file + ": expected a JSON object of src -> base64 key");
      }
      for (Map.Entry<String, JsonNode> e : root.properties()) {
        byte[] raw = Base64.getDecoder().decode(e.getValue().stringValue(""));
        pins.put(e.getKey(), Ed25519PublicKey.of(raw));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read relay pins " + file, e);
    }
  }

  @Override
  public synchronized Ed25519PublicKey pinIfAbsent(String src, Ed25519PublicKey key) {
    Ed25519PublicKey existing = pins.get(src);
    if (existing != null) {
      return existing;
    }
    pins.put(src, key);
    try {
      save();
    } catch (IOException e) {
      pins.remove(src);
      throw new UncheckedIOException("cannot persist relay pin for " + src, e);
    }
    return key;
  }

  private void save() throws IOException {
    ObjectNode root = Json.mapper().createObjectNode();
    pins.forEach((src, k) -> root.put(src, k.base64()));
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, ".relay-pins", ".tmp");
    Files.write(tmp, Json.mapper().writeValueAsBytes(root));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
