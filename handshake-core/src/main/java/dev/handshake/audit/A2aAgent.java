package dev.handshake.audit;

import dev.handshake.audit.HandshakeException.Reason;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.json.Json;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * One agent's side of A2A handshakes, end to end: the messages ({@link A2aHandshake}), the
 * co-signed event in its own chain ({@link AgentChain}) and, optionally, its {@link PeerRegistry}
 * (aiss.md §2.5, §4 item 8).
 *
 * <p>{@link #respond} is the reference's {@code perform_handshake}: verify the proposal (signature,
 * agent_id, freshness, unseen nonce), answer it, stamp the co-signed event, record the peer.
 * {@link #complete} is the initiator's side the reference leaves to its caller: verify the
 * response, confirm, stamp, record. A response completes only a proposal this agent made with
 * {@link #propose} and has not completed yet, so a replayed response cannot stamp a second event.
 *
 * <pre>{@code
 * // B, on receiving A's proposal:
 * A2aAgent.Responded r = bob.respond(proposal, A2aHandshake.DEFAULT_CAPABILITIES);
 * send(r.response());
 * // A, on receiving B's response:
 * A2aAgent.Completed c = alice.complete(proposal, response);
 * send(c.confirmation());   // B checks it with A2aHandshake.verifyConfirmation
 * }</pre>
 */
public final class A2aAgent {
  private static final int MAX_PENDING = 10_000;

  private final A2aHandshake handshake;
  private final AgentChain chain;
  private final Optional<PeerRegistry> peers;
  /** Hash of each outstanding proposal -> expiry (seconds); insertion order is expiry order. */
  private final Map<String, Long> pending = new LinkedHashMap<>();

  private A2aAgent(A2aHandshake handshake, AgentChain chain, Optional<PeerRegistry> peers) {
    this.handshake = handshake;
    this.chain = chain;
    this.peers = peers;
  }

  /**
   * Binds one agent's handshake state (share the instance: it holds the seen-nonce cache) to its
   * chain and, when given, its peer registry.
   *
   * @throws IllegalArgumentException when the handshake and the chain belong to different agents
   */
  public static A2aAgent of(
      A2aHandshake handshake, AgentChain chain, Optional<PeerRegistry> peers) {
    if (!handshake.agentId().equals(chain.agentId())) {
      throw new IllegalArgumentException(
          "handshake agent " + handshake.agentId() + " is not the chain's agent " + chain.agentId());
    }
    return new A2aAgent(handshake, chain, peers);
  }

  public String agentId() {
    return handshake.agentId();
  }

  /** The reference's responder result: the response to send and our co-signed chain event. */
  public record Responded(
      ObjectNode response, AuditEvent cosignedEvent, String sessionId, String peerAgentId) {
    public Responded {
      response = response.deepCopy();
    }

    @Override
    public ObjectNode response() {
      return response.deepCopy();
    }

    /** Exactly the keys of the reference's {@code perform_handshake} result. */
    public ObjectNode toJson() {
      return result("response", response, cosignedEvent, sessionId, peerAgentId);
    }
  }

  /** The initiator's result: the confirmation to send and our co-signed chain event. */
  public record Completed(
      ObjectNode confirmation, AuditEvent cosignedEvent, String sessionId, String peerAgentId) {
    public Completed {
      confirmation = confirmation.deepCopy();
    }

    @Override
    public ObjectNode confirmation() {
      return confirmation.deepCopy();
    }

    /** The responder result's keys with {@code confirmation} in place of {@code response}. */
    public ObjectNode toJson() {
      return result("confirmation", confirmation, cosignedEvent, sessionId, peerAgentId);
    }
  }

  private static ObjectNode result(
      String messageKey, ObjectNode message, AuditEvent event, String sessionId, String peerAgentId) {
    ObjectNode node = Json.object();
    node.set(messageKey, message.deepCopy());
    node.set("cosigned_event", event.json());
    node.put("session_id", sessionId);
    node.put("peer_agent_id", peerAgentId);
    return node;
  }

  /** Step 1: a signed proposal, remembered until {@link #complete} consumes it (10 min at most). */
  public ObjectNode propose(List<String> capabilities, Optional<ObjectNode> metadata) {
    ObjectNode proposal = handshake.propose(capabilities, metadata);
    remember(A2aHandshake.messageHash(proposal));
    return proposal;
  }

  /**
   * Responder: verifies {@code proposal}, answers it and stamps the co-signed event; then records
   * the proposer in the peer registry. Nothing is stamped or recorded for a refused proposal.
   *
   * @throws HandshakeException when the proposal fails a check or conflicts with the registry
   * @throws IOException when the peer registry cannot be written (the event is already stamped)
   */
  public Responded respond(ObjectNode proposal, List<String> capabilities)
      throws HandshakeException, IOException {
    ObjectNode response = handshake.respond(proposal, capabilities);
    // respond() verified the proposal's signature with this key.
    Ed25519PublicKey peerKey = A2aHandshake.publicKeyOf(proposal);
    String peerId = proposal.path("agent_id").stringValue("");
    if (peers.isPresent()) {
      peers.get().requireBinding(peerId, peerKey);
    }
    AuditEvent event = chain.append(handshake.handshakePayload(proposal, response));
    if (peers.isPresent()) {
      peers.get().register(proposal, peerKey);
    }
    return new Responded(response, event, response.path("session_id").stringValue(""), peerId);
  }

  /**
   * Initiator: verifies {@code response} to our outstanding {@code proposal} (signature, nonce
   * echo, proposal hash, {@code accepted}, addressed to us, fresh), confirms it and stamps the
   * co-signed event; then records the responder in the peer registry. A response that fails a
   * check leaves the proposal outstanding.
   *
   * @throws HandshakeException when the response fails a check, the proposal is not outstanding
   *     ({@link Reason#UNKNOWN_PROPOSAL}) or the responder conflicts with the registry
   * @throws IOException when the peer registry cannot be written (the event is already stamped)
   */
  public Completed complete(ObjectNode proposal, ObjectNode response)
      throws HandshakeException, IOException {
    ObjectNode confirmation = handshake.confirm(proposal, response);
    // confirm() verified the response's signature with this key.
    Ed25519PublicKey peerKey = A2aHandshake.publicKeyOf(response);
    String peerId = response.path("agent_id").stringValue("");
    if (peers.isPresent()) {
      peers.get().requireBinding(peerId, peerKey);
    }
    consume(A2aHandshake.messageHash(proposal));
    AuditEvent event = chain.append(handshake.handshakePayload(proposal, response));
    if (peers.isPresent()) {
      peers.get().register(response, peerKey);
    }
    return new Completed(
        confirmation, event, response.path("session_id").stringValue(""), peerId);
  }

  private synchronized void remember(String proposalHash) {
    long now = now();
    expire(now);
    if (pending.size() >= MAX_PENDING) {
      // Dropping the oldest outstanding proposal only makes its late response fail.
      pending.remove(pending.keySet().iterator().next());
    }
    pending.put(proposalHash, now + A2aHandshake.NONCE_RETENTION.toSeconds());
  }

  private synchronized void consume(String proposalHash) throws HandshakeException {
    expire(now());
    if (pending.remove(proposalHash) == null) {
      throw new HandshakeException(
          Reason.UNKNOWN_PROPOSAL,
          "no outstanding proposal of this agent matches the response (already completed, expired"
              + " or not proposed here)");
    }
  }

  private void expire(long now) {
    var oldest = pending.values().iterator();
    while (oldest.hasNext() && oldest.next() <= now) {
      oldest.remove();
    }
  }

  private long now() {
    return handshake.now();
  }
}
