package dev.handshake.relay;

import com.google.protobuf.ByteString;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.json.Json;
import dev.handshake.relay.proto.Packet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** The keep vectors (copied from shared/vectors/keep/packets.json into test resources). */
final class KeepVectors {
  static final JsonNode ROOT = load();
  static final Ed25519PrivateKey KEY =
      Ed25519PrivateKey.fromSeed(hex(ROOT.path("key").path("seed_hex").stringValue()));

  private KeepVectors() {}

  private static JsonNode load() {
    try (InputStream in = KeepVectors.class.getResourceAsStream("/vectors/keep/packets.json")) {
      if (in == null) {
        throw new IllegalStateException("vectors/keep/packets.json missing from test resources");
      }
      return Json.mapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<JsonNode> section(String name) {
    List<JsonNode> out = new ArrayList<>();
    ROOT.path(name).forEach(out::add);
    return out;
  }

  static byte[] hex(String text) {
    return HexFormat.of().parseHex(text);
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  /** The unsigned packet an SDK call with these vector fields builds. */
  static Packet unsigned(JsonNode fields) {
    return Packet.newBuilder()
        .setTyp(fields.path("typ").asInt())
        .setId(fields.path("id").stringValue(""))
        .setSrc(fields.path("src").stringValue(""))
        .setDst(fields.path("dst").stringValue(""))
        .setBody(fields.path("body").stringValue(""))
        .setFee(Long.parseUnsignedLong(fields.path("fee").stringValue("0")))
        .setTtl((int) fields.path("ttl").asLong())
        .setScar(ByteString.copyFrom(hex(fields.path("scar_hex").stringValue(""))))
        .build();
  }
}
