package dev.handshake.delegation;

import dev.handshake.json.CanonicalJson;
import dev.handshake.json.Json;
import dev.handshake.json.PythonJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A packet in transit with its (unsigned) delegation chain, in either reference wire form:
 * {@link #toWire()} is the compact model dump, {@link #toSortedWire()} the reference's {@code
 * envelope_to_json} (sorted keys everywhere, ASCII, {@code +00:00} datetimes). Receivers
 * re-canonicalise the packet from what they parsed, so both verify — unless the signer left the
 * context unsorted, which the sorted form then reorders (vector N06); our signer always sorts.
 */
public record DelegationEnvelope(SignedTaskPacket packet, DelegationChain chain) {
  /** Deepest nesting accepted in an envelope. */
  public static final int MAX_DEPTH = 64;
  /** Longest envelope text accepted, in characters. */
  public static final int MAX_CHARS = 1 << 20;

  /** A new envelope for a packet's first hop. */
  public static DelegationEnvelope of(SignedTaskPacket packet) {
    return new DelegationEnvelope(packet, DelegationChain.start(packet));
  }

  /**
   * Reads an envelope from its wire text (either form).
   *
   * @throws MalformedPacketException when the text is not JSON or not an envelope
   */
  public static DelegationEnvelope parse(String json) throws MalformedPacketException {
    if (json.length() > MAX_CHARS) {
      throw new MalformedPacketException("envelope is longer than " + MAX_CHARS + " characters");
    }
    JsonNode node;
    try {
      node = CanonicalJson.parseKeepingFloatText(json, MAX_DEPTH);
    } catch (RuntimeException e) {
      throw new MalformedPacketException("envelope is not valid JSON: " + e.getMessage());
    }
    return parse(node);
  }

  /**
   * Reads what a receiver is handed: an envelope (an object with {@code packet} and {@code chain})
   * in either wire form, or a bare packet, which becomes the first hop of a new envelope.
   *
   * @throws MalformedPacketException when the text is too long, not JSON, or neither shape
   */
  public static DelegationEnvelope parseEnvelopeOrPacket(String json) throws MalformedPacketException {
    if (json.length() > MAX_CHARS) {
      throw new MalformedPacketException("input is longer than " + MAX_CHARS + " characters");
    }
    JsonNode node;
    try {
      node = CanonicalJson.parseKeepingFloatText(json, MAX_DEPTH);
    } catch (RuntimeException e) {
      throw new MalformedPacketException("not valid JSON: " + e.getMessage());
    }
    if (node.has("packet") && node.has("chain")) {
      return parse(node);
    }
    return of(SignedTaskPacket.parse(node));
  }

  public static DelegationEnvelope parse(JsonNode node) throws MalformedPacketException {
    ModelFields f = ModelFields.of(node, "envelope");
    return new DelegationEnvelope(
        SignedTaskPacket.parse(f.requiredObject("packet")),
        DelegationChain.parse(f.requiredObject("chain")));
  }

  /** Declaration order: {@code packet}, then {@code chain}. */
  public ObjectNode toJson() {
    ObjectNode n = Json.object();
    n.set("packet", packet.toJson());
    n.set("chain", chain.toJson());
    return n;
  }

  /** The compact model dump form. */
  public String toWire() {
    return PythonJson.dumpsCompact(toJson());
  }

  /** The reference's {@code envelope_to_json} form. */
  public String toSortedWire() {
    ObjectNode n = toJson();
    ObjectNode p = (ObjectNode) n.get("packet");
    p.put("issued_at", packet.issuedAt().isoformat());
    p.put("expires_at", packet.expiresAt().isoformat());
    return PythonJson.dumpsSortedAscii(n);
  }
}
