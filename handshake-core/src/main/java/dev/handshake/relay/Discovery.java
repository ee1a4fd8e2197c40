package dev.handshake.relay;

import dev.handshake.json.Json;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Answers {@code discover:info|agents|stats} (keep.md §2.7): compact JSON with sorted keys and
 * {@code <}, {@code >}, {@code &} escaped as Go's encoder does, so the bytes match the reference.
 *
 * <p>With a {@link RelayRouter} that lists its directory, {@code agents_online} and {@code agents}
 * describe every node of the deployment; otherwise (one node, or the directory unreachable) this
 * node's connections. {@code agents} lists at most {@link RelayConfig#discoveryAgentsLimit()}
 * names, the querier's own first, so that it still sees itself. {@code stats} stays per node.
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
              : agents(querier, config.discoveryAgents() == DiscoveryExposure.SELF);
      case "stats" ->
          config.discoveryStats() == DiscoveryExposure.OFF
              ? KeepPackets.ERROR_UNKNOWN_DISCOVERY
              : stats(config.discoveryStats() == DiscoveryExposure.SELF ? querier : null);
      default -> KeepPackets.ERROR_UNKNOWN_DISCOVERY;
    };
  }

  private String info() {
    ObjectNode info = Json.object();
    long here = engine.identities().size();
    long online = engine.deploymentAgents(0).map(a -> Math.max(a.online(), here)).orElse(here);
    info.put("agents_online", online);
    engine.serverPublicKey().ifPresent(k -> info.put("server_pk", k.base64()));
    info.put("uptime_sec", engine.uptimeSeconds());
    info.put("version", engine.config().versionString());
    return write(info);
  }

  private String agents(RelayConnection querier, boolean onlySelf) {
    int limit = engine.config().discoveryAgentsLimit();
    Set<String> names = new LinkedHashSet<>();
    addUpTo(names, querier.names(), limit);
    if (!onlySelf && names.size() < limit) {
      addUpTo(
          names,
          engine
              .deploymentAgents(limit)
              .<Collection<String>>map(RelayRouter.Agents::names)
              .orElseGet(() -> engine.identities().names()),
          limit);
    }
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray("agents");
    names.stream().sorted().forEach(list::add);
    return write(out);
  }

  private static void addUpTo(Set<String> names, Collection<String> more, int limit) {
    for (String name : more) {
      if (names.size() >= limit) {
        return;
      }
      names.add(name);
    }
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
