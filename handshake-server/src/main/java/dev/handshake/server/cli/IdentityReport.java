package dev.handshake.server.cli;

import dev.handshake.crypto.Base58;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.identity.AgentIds;
import dev.handshake.identity.KeyFormat;
import dev.handshake.json.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@code handshake id new|show|import} print about a key: every id derived from the public key
 * ({@link AgentIds}), the key in Base64 and Base58, the file's format and label. Never the private
 * key.
 */
record IdentityReport(
    Path file, KeyFormat format, Ed25519PublicKey publicKey, Optional<String> label) {

  ObjectNode json() {
    ObjectNode node = Json.object();
    node.put("file", file.toString());
    node.put("format", format.id());
    node.put("encrypted", format.encrypted());
    label.ifPresent(l -> node.put("label", l));
    node.put("agent_id", AgentIds.aiss(publicKey));
    node.put("trusthandoff_id", AgentIds.trustHandoff(publicKey));
    node.put("keep_key_hex", AgentIds.keep(publicKey));
    node.put("public_key_b64", publicKey.base64());
    node.put("public_key_b58", Base58.encode(publicKey.raw()));
    return node;
  }

  void print(PrintWriter out, boolean asJson) {
    if (asJson) {
      out.print(Json.pretty(json()));
    } else {
      out.println("file:             " + file);
      out.println(
          "format:           "
              + format.id()
              + (format.encrypted() ? " (encrypted)" : " (PLAINTEXT)"));
      label.ifPresent(l -> out.println("label:            " + l));
      out.println("agent_id (AISS):  " + AgentIds.aiss(publicKey));
      out.println("TrustHandoff id:  " + AgentIds.trustHandoff(publicKey));
      out.println("keep key (hex):   " + AgentIds.keep(publicKey));
      out.println("public key b64:   " + publicKey.base64());
      out.println("public key b58:   " + Base58.encode(publicKey.raw()));
    }
    out.flush();
  }
}
