package dev.handshake.delegation.http;

import dev.handshake.delegation.Decision;
import dev.handshake.delegation.DelegationEnvelope;
import dev.handshake.delegation.MalformedPacketException;
import dev.handshake.delegation.SignedTaskPacket;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /delegation/decisions}: the packet an agent decided on ({@code "packet"}
 * or {@code "envelope"}, each a JSON object or its wire text) and its decision object as the
 * reference prints it ({@code {"packet_id", "decision", "reason"}}; other members of that object,
 * such as 0.3.1's {@code details}, are ignored and never recorded).
 */
record ReportedDecision(
    SignedTaskPacket packet, Decision.Verdict verdict, Optional<String> reason) {
  /** The reference 0.3.1 model's limit on {@code reason}. */
  static final int MAX_REASON = 256;

  private static final Set<String> MEMBERS = Set.of("packet", "envelope", "decision");

  /** Why a body was refused; the message is the 400 answer. */
  static final class BadReport extends Exception {
    BadReport(String message) {
      super(message);
    }
  }

  static ReportedDecision read(@Nullable String text) throws BadReport {
    if (text == null) {
      throw new BadReport("request body is not UTF-8");
    }
    JsonNode root;
    try {
      root = DelegationHttpApi.parseWire(text);
    } catch (RuntimeException e) {
      throw new BadReport("request body is not JSON: " + e.getMessage());
    }
    if (!root.isObject()) {
      throw new BadReport("expected {\"packet\": {...}, \"decision\": {...}}");
    }
    for (Map.Entry<String, JsonNode> member : root.properties()) {
      if (!MEMBERS.contains(member.getKey())) {
        throw new BadReport(
            "unknown member '" + member.getKey() + "' (packet, envelope, decision)");
      }
    }
    if (root.has("packet") == root.has("envelope")) {
      throw new BadReport("give exactly one of \"packet\" and \"envelope\"");
    }
    SignedTaskPacket packet;
    try {
      packet =
          root.has("packet")
              ? SignedTaskPacket.parse(tree(root.get("packet"), "packet"))
              : DelegationEnvelope.parse(tree(root.get("envelope"), "envelope")).packet();
    } catch (MalformedPacketException e) {
      throw new BadReport("not a packet: " + e.getMessage());
    }
    JsonNode decision = root.path("decision");
    if (!decision.isObject()) {
      throw new BadReport(
          "\"decision\" must be the decision object {\"packet_id\",\"decision\",\"reason\"}");
    }
    JsonNode id = decision.path("packet_id");
    if (!id.isMissingNode() && !(id.isString() && id.stringValue().equals(packet.packetId()))) {
      throw new BadReport("decision.packet_id is not the packet's packet_id");
    }
    Decision.Verdict verdict;
    switch (decision.path("decision").stringValue("")) {
      case "ACCEPT" -> verdict = Decision.Verdict.ACCEPT;
      case "REJECT" -> verdict = Decision.Verdict.REJECT;
      default -> throw new BadReport("decision.decision must be ACCEPT or REJECT");
    }
    JsonNode reason = decision.path("reason");
    if (reason.isMissingNode() || reason.isNull()) {
      return new ReportedDecision(packet, verdict, Optional.empty());
    }
    if (!reason.isString() || reason.stringValue().length() > MAX_REASON) {
      throw new BadReport(
          "decision.reason must be null or a string of at most " + MAX_REASON + " characters");
    }
    return new ReportedDecision(packet, verdict, Optional.of(reason.stringValue()));
  }

  /** A member given as an object, or as its wire text. */
  private static JsonNode tree(JsonNode value, String name) throws BadReport {
    if (value.isObject()) {
      return value;
    }
    if (value.isString()) {
      try {
        return DelegationHttpApi.parseWire(value.stringValue());
      } catch (RuntimeException e) {
        throw new BadReport("\"" + name + "\" text is not JSON: " + e.getMessage());
      }
    }
    throw new BadReport("\"" + name + "\" must be a JSON object or its wire text");
  }
}
