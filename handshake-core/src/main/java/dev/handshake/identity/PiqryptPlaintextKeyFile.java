package dev.handshake.identity;

import dev.handshake.crypto.Base64Text;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The reference's unencrypted key file {@code private.key.json} (aiss.md §2.1): {@code
 * {"format":"plaintext","version":"1.8.4","private_key":"<Base64 seed>","warning":"…"}}. We read it
 * only to import it and write it only on explicit request (aiss.md §3 item 13).
 */
final class PiqryptPlaintextKeyFile {
  static final String FORMAT = "plaintext";
  static final String VERSION = "1.8.4";
  static final String WARNING =
      "UNENCRYPTED private key: anyone who can read this file can act as this agent. "
          + "Import it with 'handshake id import' and delete this file.";

  private PiqryptPlaintextKeyFile() {}

  static byte[] encode(Ed25519PrivateKey key) {
    byte[] seed = key.exportSeed();
    try {
      ObjectNode node = Json.object();
      node.put("format", FORMAT);
      node.put("version", VERSION);
      node.put("private_key", Base64Text.encode(seed));
      node.put("warning", WARNING);
      return Json.pretty(node).getBytes(StandardCharsets.UTF_8);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  static Ed25519PrivateKey decode(JsonNode node) throws KeyFileException {
    JsonNode field = node.path("private_key");
    if (!field.isString()) {
      throw KeyFileException.corrupt("private_key is missing");
    }
    byte[] seed =
        Base64Text.decodeStrict(field.stringValue())
            .orElseThrow(() -> KeyFileException.corrupt("private_key is not standard Base64"));
    try {
      if (seed.length != Ed25519PrivateKey.SEED_SIZE) {
        throw KeyFileException.corrupt("private_key must be a 32-byte seed, got " + seed.length);
      }
      return Ed25519PrivateKey.fromSeed(seed);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }
}
