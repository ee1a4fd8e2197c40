package dev.handshake.relay;

import dev.handshake.json.Json;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Answers {@code discover:info|agents|stats} (keep.md §2.7): compact JSON with sorted keys and
 * {@code <}, {@code >}, {@code &} escaped as Go's encoder does, so the bytes match the reference.
 */
final class Discovery {
  private final RelayEngine engine;

  Discovery(RelayEngine engine) {
    this.engine = engine;
  }

  String answer(String suffix, RelayConnection querier) {
    RelayConfig config = engine.config();
    return switch (suffix) {
      case "info" -> info();
      case "agents" ->
          config.discoveryAgents() == DiscoveryExposure.OFF
              ? KeepPackets.ERROR_UNKNOWN_DISCOVERY
              : agents(config.discoveryAgents() == DiscoveryExposure.SELF ? querier : null);
      case "stats" ->
          config.discoveryStats() == DiscoveryExposure.OFF
              ? KeepPackets.ERROR_UNKNOWN_DISCOVERY
              : stats(config.discoveryStats() == DiscoveryExposure.SELF ? querier : null);
      default -> KeepPackets.ERROR_UNKNOWN_DISCOVERY;
    };
  }

  private String info() {
    ObjectNode info = Json.object();
    info.put("agents_online", engine.identities().size());
    engine.serverPublicKey().ifPresent(k -> info.put("server_pk", k.base64()));
    info.put("uptime_sec", engine.uptimeSeconds());
    info.put("version", engine.config().versionString());
    return write(info);
  }

  private String agents(@Nullable RelayConnection self) {
    List<String> names = self == null ? engine.identities().names() : self.names();
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray("agents");
    names.stream().sorted().forEach(list::add);
    return write(out);
  }

  private String stats(@Nullable RelayConnection self) {
    Map<String, Long> scars = new TreeMap<>(engine.scars().snapshot());
    if (self != null) {
      scars.keySet().retainAll(self.names());
    }
    ObjectNode out = Json.object();
    ObjectNode exchanges = out.putObject("scar_exchanges");
    scars.forEach(exchanges::put);
    out.put("total_packets", self == null ? engine.totalPackets() : self.packets());
    return write(out);
  }

  private static String write(ObjectNode node) {
    String json = Json.mapper().writeValueAsString(node);
    // Only string contents can hold these characters, so replacing them keeps the JSON valid.
    return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
  }
}
