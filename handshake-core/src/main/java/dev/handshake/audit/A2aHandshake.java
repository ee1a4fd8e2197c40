package dev.handshake.audit;

import dev.handshake.audit.HandshakeException.Reason;
import dev.handshake.crypto.Base58;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.crypto.Sha256;
import dev.handshake.identity.AgentIds;
import dev.handshake.json.Json;
import dev.handshake.json.PythonJson;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The AISS agent-to-agent identity handshake (aiss.md §2.5) with the checks the reference lacks
 * (§3 item 8): proposal → response → confirmation, all Base58-signed as reference peers expect.
 *
 * <p>A proposal is accepted only within {@link #FRESHNESS} of local time and with a {@code
 * session_nonce} not seen in the last {@link #NONCE_RETENTION}; nonces are recorded only after the
 * signature verified, so forged proposals cannot burn them. A response must say {@code
 * accepted:true}, name us as {@code peer_agent_id}, echo our nonce, hash our proposal and be
 * fresh; a confirmation is verified against the response it confirms.
 *
 * <p>Each side then records the handshake as a Base64-signed chain event whose payload, beyond
 * the reference fields, carries {@code peer_public_key}, {@code peer_message} (the peer's complete
 * signed message) and {@code transcript_hash} (SHA-256 of the canonical array {@code [proposal,
 * response]}), so the peer's signature is verifiable from the exported chain alone and the two
 * sides' events provably describe the same exchange. Reference readers ignore the extra fields.
 */
public final class A2aHandshake {
  public static final Duration FRESHNESS = Duration.ofSeconds(60);
  public static final Duration NONCE_RETENTION = Duration.ofMinutes(10);
  public static final List<String> DEFAULT_CAPABILITIES = List.of("stamp", "verify", "a2a");
  static final String PROPOSAL = "a2a_identity_proposal";
  static final String RESPONSE = "a2a_identity_response";
  static final String CONFIRMATION = "a2a_session_confirmation";
  private static final int MAX_SEEN_NONCES = 100_000;

  private final Ed25519PrivateKey key;
  private final String agentId;
  private final Clock clock;
  private final Map<String, Long> seenNonces = new LinkedHashMap<>();

  public A2aHandshake(Ed25519PrivateKey key, Clock clock) {
    this.key = key;
    this.agentId = AgentIds.aiss(key.publicKey());
    this.clock = clock;
  }

  public String agentId() {
    return agentId;
  }

  long now() {
    return clock.millis() / 1000;
  }

  /** Step 1: a signed proposal with a fresh UUID4 session nonce. */
  public ObjectNode propose(List<String> capabilities, Optional<ObjectNode> metadata) {
    ObjectNode p = Json.object();
    p.put("version", EventStamper.VERSION);
    p.put("message_type", PROPOSAL);
    p.put("agent_id", agentId);
    p.put("public_key", Base58.encode(key.publicKey().raw()));
    ArrayNode caps = p.putArray("capabilities");
    capabilities.forEach(caps::add);
    p.put("session_nonce", UUID.randomUUID().toString());
    p.put("timestamp", now());
    metadata.ifPresent(m -> p.set("metadata", m.deepCopy()));
    return signed(p);
  }

  /**
   * Step 2 (responder): verifies {@code proposal} and answers it with a new session id.
   *
   * @throws HandshakeException when the proposal fails any check
   */
  public ObjectNode respond(ObjectNode proposal, List<String> capabilities) throws HandshakeException {
    Ed25519PublicKey peerKey = verifyMessage(proposal, PROPOSAL, true);
    checkFresh(proposal);
    String nonce = proposal.path("session_nonce").stringValue("");
    if (nonce.isEmpty()) {
      throw new HandshakeException(Reason.MALFORMED, "proposal has no session_nonce");
    }
    recordNonce(AgentIds.aiss(peerKey) + '\n' + nonce);
    ObjectNode r = Json.object();
    r.put("version", EventStamper.VERSION);
    r.put("message_type", RESPONSE);
    r.put("agent_id", agentId);
    r.put("public_key", Base58.encode(key.publicKey().raw()));
    ArrayNode caps = r.putArray("capabilities");
    capabilities.forEach(caps::add);
    r.put("session_id", UUID.randomUUID().toString());
    r.put("session_nonce", nonce);
    r.put("proposal_hash", messageHash(proposal));
    r.put("accepted", true);
    r.put("timestamp", now());
    r.put("peer_agent_id", proposal.path("agent_id").stringValue());
    return signed(r);
  }

  /**
   * Step 3 (initiator): verifies {@code response} against our {@code proposal} and confirms.
   *
   * @throws HandshakeException when the response fails any check
   */
  public ObjectNode confirm(ObjectNode proposal, ObjectNode response) throws HandshakeException {
    verifyResponse(proposal, response);
    checkFresh(response);
    if (!response.path("accepted").isBoolean() || !response.path("accepted").booleanValue()) {
      throw new HandshakeException(Reason.DECLINED, "response did not accept the handshake");
    }
    if (!agentId.equals(response.path("peer_agent_id").stringValue(""))) {
      throw new HandshakeException(Reason.MISADDRESSED, "response is addressed to another agent");
    }
    ObjectNode c = Json.object();
    c.put("version", EventStamper.VERSION);
    c.put("message_type", CONFIRMATION);
    c.put("agent_id", agentId);
    c.put("session_id", response.path("session_id").stringValue(""));
    c.put("response_hash", messageHash(response));
    c.put("timestamp", now());
    c.put("peer_agent_id", response.path("agent_id").stringValue(""));
    return signed(c);
  }

  /**
   * Responder side: verifies the initiator's confirmation of our {@code response} (the reference
   * never does).
   */
  public void verifyConfirmation(ObjectNode proposal, ObjectNode response, ObjectNode confirmation)
      throws HandshakeException {
    Ed25519PublicKey initiator = publicKeyOf(proposal);
    requireType(confirmation, CONFIRMATION);
    if (!proposal.path("agent_id").stringValue("").equals(confirmation.path("agent_id").stringValue(""))) {
      throw new HandshakeException(Reason.NOT_BOUND, "confirmation is not from the proposer");
    }
    verifySignature(confirmation, initiator);
    if (!messageHash(response).equals(confirmation.path("response_hash").stringValue(""))) {
      throw new HandshakeException(Reason.NOT_BOUND, "confirmation response_hash does not match our response");
    }
    if (!response.path("session_id").stringValue("").equals(confirmation.path("session_id").stringValue(""))) {
      throw new HandshakeException(Reason.NOT_BOUND, "confirmation names another session_id");
    }
    if (!agentId.equals(confirmation.path("peer_agent_id").stringValue(""))) {
      throw new HandshakeException(Reason.MISADDRESSED, "confirmation is addressed to another agent");
    }
    checkFresh(confirmation);
  }

  /**
   * The reference's response check (aiss.md §2.5): identity, signature, nonce echo and proposal
   * hash. Freshness, {@code accepted} and addressing are checked by {@link #confirm}.
   */
  public static Ed25519PublicKey verifyResponse(ObjectNode proposal, ObjectNode response)
      throws HandshakeException {
    Ed25519PublicKey key = verifyMessage(response, RESPONSE, true);
    if (!proposal.path("session_nonce").stringValue("").equals(response.path("session_nonce").stringValue(""))) {
      throw new HandshakeException(Reason.NOT_BOUND, "response session_nonce differs from the proposal (possible replay)");
    }
    if (!messageHash(proposal).equals(response.path("proposal_hash").stringValue(""))) {
      throw new HandshakeException(Reason.NOT_BOUND, "response proposal_hash does not match the proposal (tampered response)");
    }
    return key;
  }

  /**
   * Verifies a proposal or response on its own: type, Base58 key, agent_id derived from it,
   * signature. Returns the sender's key.
   */
  public static Ed25519PublicKey verifyMessage(ObjectNode message, String type, boolean checkType)
      throws HandshakeException {
    if (checkType) {
      requireType(message, type);
    }
    Ed25519PublicKey key = publicKeyOf(message);
    if (!AgentIds.isAissIdOf(message.path("agent_id").stringValue(""), key)) {
      throw new HandshakeException(Reason.AGENT_ID_MISMATCH, "agent_id is not derived from public_key");
    }
    verifySignature(message, key);
    return key;
  }

  private static void requireType(ObjectNode message, String type) throws HandshakeException {
    if (!EventStamper.VERSION.equals(message.path("version").stringValue(""))) {
      throw new HandshakeException(Reason.MALFORMED, "unsupported version");
    }
    if (!type.equals(message.path("message_type").stringValue(""))) {
      throw new HandshakeException(Reason.MALFORMED, "expected message_type " + type);
    }
  }

  static Ed25519PublicKey publicKeyOf(ObjectNode message) throws HandshakeException {
    return Base58.decode(message.path("public_key").stringValue(""))
        .flatMap(Ed25519PublicKey::parse)
        .orElseThrow(() -> new HandshakeException(Reason.MALFORMED, "public_key is not Base58 of a 32-byte Ed25519 key"));
  }

  private static void verifySignature(ObjectNode message, Ed25519PublicKey key)
      throws HandshakeException {
    byte[] sig =
        Base58.decode(message.path("signature").stringValue(""))
            .filter(b -> b.length == Ed25519PublicKey.SIGNATURE_SIZE)
            .orElseThrow(() -> new HandshakeException(Reason.MALFORMED, "signature is not Base58 of 64 bytes"));
    if (!key.verify(AuditEvent.canonicalWithout(message, AuditEvent.SIGNATURE), sig)) {
      throw new HandshakeException(Reason.BAD_SIGNATURE, "signature verification failed");
    }
  }

  /** Hex SHA-256 of the canonical message without its signature (proposal_hash, response_hash). */
  public static String messageHash(ObjectNode message) {
    return Sha256.hex(AuditEvent.canonicalWithout(message, AuditEvent.SIGNATURE));
  }

  /** Hex SHA-256 of the canonical JSON array {@code [proposal, response]}, both complete. */
  public static String transcriptHash(ObjectNode proposal, ObjectNode response) {
    ArrayNode pair = Json.nodes().arrayNode();
    pair.add(proposal);
    pair.add(response);
    return Sha256.hex(PythonJson.canonicalize(pair));
  }

  private void checkFresh(ObjectNode message) throws HandshakeException {
    JsonNode t = message.path("timestamp");
    if (!t.isIntegralNumber() || !t.canConvertToLong()) {
      throw new HandshakeException(Reason.MALFORMED, "timestamp is not an integer");
    }
    if (Math.abs(now() - t.longValue()) > FRESHNESS.toSeconds()) {
      throw new HandshakeException(Reason.STALE, "message timestamp is outside ±" + FRESHNESS.toSeconds() + " s");
    }
  }

  private synchronized void recordNonce(String key) throws HandshakeException {
    long now = now();
    // Every nonce is kept for the same retention, so insertion order is expiry order.
    var oldest = seenNonces.values().iterator();
    while (oldest.hasNext() && oldest.next() <= now) {
      oldest.remove();
    }
    if (seenNonces.containsKey(key)) {
      throw new HandshakeException(Reason.REPLAYED, "session_nonce already used (replayed proposal)");
    }
    if (seenNonces.size() >= MAX_SEEN_NONCES) {
      throw new HandshakeException(Reason.BUSY, "too many handshakes in progress");
    }
    seenNonces.put(key, now + NONCE_RETENTION.toSeconds());
  }

  private ObjectNode signed(ObjectNode message) {
    byte[] sig = key.sign(AuditEvent.canonicalWithout(message, AuditEvent.SIGNATURE));
    message.put(AuditEvent.SIGNATURE, Base58.encode(sig));
    return message;
  }

  /**
   * The handshake chain-event payload (aiss.md §2.5 step 4) for our side, with our co-signing
   * extension. {@code proposal} and {@code response} are the two complete signed messages.
   */
  public ObjectNode handshakePayload(ObjectNode proposal, ObjectNode response) {
    ObjectNode payload = referencePayload(agentId, proposal, response);
    boolean initiator = agentId.equals(proposal.path("agent_id").stringValue(""));
    ObjectNode peer = initiator ? response : proposal;
    payload.put("peer_public_key", peer.path("public_key").stringValue(""));
    payload.set("peer_message", peer.deepCopy());
    payload.put("transcript_hash", transcriptHash(proposal, response));
    return payload;
  }

  /** The reference's handshake payload, for {@code me} (either side). */
  static ObjectNode referencePayload(String me, ObjectNode proposal, ObjectNode response) {
    boolean initiator = me.equals(proposal.path("agent_id").stringValue(""));
    ObjectNode peer = initiator ? response : proposal;
    String peerId = peer.path("agent_id").stringValue("");
    ObjectNode payload = Json.object();
    payload.put("event_type", "a2a_handshake");
    payload.put("session_id", response.path("session_id").stringValue(""));
    payload.put("my_role", initiator ? "initiator" : "responder");
    payload.put("peer_agent_id", peerId);
    payload.put("peer_signature", peer.path("signature").stringValue(""));
    TreeSet<String> agreed = new TreeSet<>(strings(proposal.path("capabilities")));
    agreed.retainAll(strings(response.path("capabilities")));
    ArrayNode caps = payload.putArray("capabilities_agreed");
    agreed.forEach(caps::add);
    payload.putArray("participants").add(me).add(peerId);
    return payload;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.stringValue("")));
    return out;
  }

  /**
   * Checks a handshake event we (or another Handshake agent) wrote: the embedded peer message
   * verifies with the embedded peer key, that key is the {@code peer_agent_id}'s, and {@code
   * peer_signature} is the message's signature. The event's own signature is the chain
   * verifier's job.
   */
  public static void verifyCosignature(AuditEvent event) throws HandshakeException {
    ObjectNode payload = event.payload();
    if (!payload.path("peer_message").isObject()) {
      throw new HandshakeException(Reason.NOT_COSIGNED, "event carries no peer_message (a reference handshake event)");
    }
    ObjectNode peer = (ObjectNode) payload.path("peer_message");
    boolean initiator = "initiator".equals(payload.path("my_role").stringValue(""));
    Ed25519PublicKey key = verifyMessage(peer, initiator ? RESPONSE : PROPOSAL, true);
    if (!Base58.encode(key.raw()).equals(payload.path("peer_public_key").stringValue(""))) {
      throw new HandshakeException(Reason.NOT_BOUND, "peer_public_key is not the key that signed peer_message");
    }
    if (!AgentIds.aiss(key).equals(payload.path("peer_agent_id").stringValue(""))) {
      throw new HandshakeException(Reason.NOT_BOUND, "peer_agent_id is not derived from peer_public_key");
    }
    if (!peer.path("signature").stringValue("").equals(payload.path("peer_signature").stringValue(""))) {
      throw new HandshakeException(Reason.NOT_BOUND, "peer_signature is not peer_message's signature");
    }
  }

  /**
   * Checks that an initiator's and a responder's handshake events describe the same exchange:
   * each embeds the other's message and both sign the same transcript hash.
   */
  public static void verifyPair(AuditEvent initiatorEvent, AuditEvent responderEvent)
      throws HandshakeException {
    verifyCosignature(initiatorEvent);
    verifyCosignature(responderEvent);
    ObjectNode response = (ObjectNode) initiatorEvent.payload().path("peer_message");
    ObjectNode proposal = (ObjectNode) responderEvent.payload().path("peer_message");
    verifyResponse(proposal, response);
    String transcript = transcriptHash(proposal, response);
    if (!transcript.equals(initiatorEvent.payload().path("transcript_hash").stringValue(""))
        || !transcript.equals(responderEvent.payload().path("transcript_hash").stringValue(""))) {
      throw new HandshakeException(Reason.NOT_BOUND, "transcript_hash differs between the two events");
    }
    if (!initiatorEvent.agentId().equals(proposal.path("agent_id").stringValue(""))
        || !responderEvent.agentId().equals(response.path("agent_id").stringValue(""))) {
      throw new HandshakeException(Reason.NOT_BOUND, "events are not from the two parties of the exchange");
    }
  }
}
