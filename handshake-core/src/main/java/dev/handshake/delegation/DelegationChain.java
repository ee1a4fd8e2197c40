package dev.handshake.delegation;

import dev.handshake.json.Json;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The reference's delegation chain (trusthandoff.md §2.7): packet ids, the agents that sent them
 * and optional hops. It is not signed, so it is advisory: a receiver enforces its depth,
 * consistency with the packet and the absence of loops, and takes authority only from signed
 * capabilities.
 */
public record DelegationChain(List<String> packetIds, List<String> agents, List<DelegationHop> hops) {
  public DelegationChain {
    packetIds = List.copyOf(packetIds);
    agents = List.copyOf(agents);
    hops = List.copyOf(hops);
  }

  /** The chain a new envelope starts with: the first packet and its sender. */
  public static DelegationChain start(SignedTaskPacket packet) {
    return new DelegationChain(List.of(packet.packetId()), List.of(packet.fromAgent()), List.of());
  }

  /** Whether handing off to {@code nextAgent} would loop: it is already in the chain. */
  public boolean wouldLoop(String nextAgent) {
    return agents.contains(nextAgent);
  }

  /** Whether the chain is no deeper than {@code maxDepth} (the reference's {@code within_max_depth}). */
  public boolean withinMaxDepth(int maxDepth) {
    return depth() <= maxDepth;
  }

  /** Depth as the reference counts it: the number of packet ids. */
  public int depth() {
    return packetIds.size();
  }

  /** This chain with one more hand-off appended (the reference's {@code add_handoff}). */
  public DelegationChain addHandoff(String packetId, String agentId) {
    List<String> ids = new ArrayList<>(packetIds);
    ids.add(packetId);
    List<String> who = new ArrayList<>(agents);
    who.add(agentId);
    return new DelegationChain(ids, who, hops);
  }

  /** This chain with a hop appended. */
  public DelegationChain addHop(DelegationHop hop) {
    List<DelegationHop> more = new ArrayList<>(hops);
    more.add(hop);
    return new DelegationChain(packetIds, agents, more);
  }

  static DelegationChain parse(JsonNode json) throws MalformedPacketException {
    ModelFields f = ModelFields.of(json, "chain");
    if (json.get("packet_ids") == null || json.get("agents") == null) {
      throw new MalformedPacketException("chain.packet_ids and chain.agents are required");
    }
    List<DelegationHop> hops = new ArrayList<>();
    JsonNode list = json.get("hops");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        throw new MalformedPacketException("chain.hops must be an array");
      }
      for (int i = 0; i < list.size(); i++) {
        ModelFields hop = ModelFields.of(list.get(i), "chain.hops[" + i + "]");
        hops.add(
            new DelegationHop(
                hop.string("agent_id"),
                ModelFields.permissions(
                    hop.requiredObject("delegated_permissions"),
                    "chain.hops[" + i + "].delegated_permissions")));
      }
    }
    return new DelegationChain(f.strings("packet_ids"), f.strings("agents"), hops);
  }

  /** Declaration order ({@code packet_ids}, {@code agents}, {@code hops}). */
  public ObjectNode toJson() {
    ObjectNode n = Json.object();
    ArrayNode ids = n.putArray("packet_ids");
    packetIds.forEach(ids::add);
    ArrayNode who = n.putArray("agents");
    agents.forEach(who::add);
    ArrayNode list = n.putArray("hops");
    hops.forEach(h -> list.add(h.toJson()));
    return n;
  }
}
