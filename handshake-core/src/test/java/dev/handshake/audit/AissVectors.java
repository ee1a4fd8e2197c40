package dev.handshake.audit;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.identity.IdentityDocument;
import dev.handshake.json.CanonicalJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The AISS vectors of ../shared/vectors/aiss, copied to test resources. */
final class AissVectors {
  static final JsonNode VECTORS = read("/vectors/aiss/vectors.json");
  static final JsonNode CHAIN = read("/vectors/aiss/chain.json");
  static final JsonNode SESSION = read("/vectors/aiss/session.json");

  private AissVectors() {}

  static byte[] bytes(String path) {
    try (InputStream in = AissVectors.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode read(String path) {
    return CanonicalJson.parse(bytes(path));
  }

  static Ed25519PrivateKey key(String agent) {
    return Ed25519PrivateKey.fromSeed(
        HexFormat.of()
            .parseHex(VECTORS.path("agents").path(agent).path("ed25519_seed_hex").stringValue()));
  }

  static String agentId(String agent) {
    return VECTORS.path("agents").path(agent).path("agent_id").stringValue();
  }

  static IdentityDocument identityA() {
    try {
      return IdentityDocument.parse(CHAIN.path("agent_identity"), true, false);
    } catch (IdentityDocument.InvalidIdentityException e) {
      throw new IllegalStateException(e);
    }
  }

  static IdentityDocument identityB() {
    return IdentityDocument.of(key("B").publicKey(), 1767225600, java.util.Optional.empty());
  }

  static List<AuditEvent> chainEvents() {
    List<AuditEvent> events = new ArrayList<>();
    CHAIN.path("events").forEach(e -> events.add(AuditEvent.of((ObjectNode) e)));
    return events;
  }

  static ObjectNode chainEvent(int i) {
    return (ObjectNode) CHAIN.path("events").get(i).deepCopy();
  }
}
