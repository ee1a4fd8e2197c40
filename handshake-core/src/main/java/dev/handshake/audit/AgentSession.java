package dev.handshake.audit;

import dev.handshake.crypto.Base64Text;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.crypto.Sha256;
import dev.handshake.json.CanonicalJson;
import dev.handshake.json.Json;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A multi-agent session recorder (the reference's AgentSession bridge, aiss.md §2.6): every member
 * stamps {@code session_start}, each pair runs the A2A handshake, members stamp work (optionally
 * towards a peer), and every member stamps {@code session_end}.
 *
 * <p>Unlike the reference nothing is edited after signing (session fields go into the handshake
 * payload before it is signed), and an interaction between two members is really co-signed: both
 * sign the same {@code interaction} statement, each event carries the statement and the peer's
 * signature over it ({@code peer_signature}, Base64) on both sides, and {@code interaction_hash}
 * is the statement's SHA-256, which anyone can recompute (§3 item 8).
 */
public final class AgentSession {
  static final List<String> SESSION_CAPABILITIES = List.of("stamp", "verify", "a2a", "session");

  /** A participant: a display name, its key and its chain. */
  public record Member(String name, Ed25519PrivateKey key, AgentChain chain) {
    public String agentId() {
      return chain.agentId();
    }
  }

  private final String sessionId;
  private final List<Member> members;
  private final PayloadHashing hashing;
  private final Clock clock;
  private final Map<String, Integer> eventCounts = new HashMap<>();
  private long startedAt;
  private int handshakes;

  private AgentSession(List<Member> members, PayloadHashing hashing, Clock clock) {
    if (members.size() < 2) {
      throw new IllegalArgumentException("a session needs at least two agents");
    }
    if (new HashSet<>(members.stream().map(Member::name).toList()).size() != members.size()) {
      throw new IllegalArgumentException("member names must be unique");
    }
    this.sessionId = "sess_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    this.members = List.copyOf(members);
    this.hashing = hashing;
    this.clock = clock;
  }

  public static AgentSession create(List<Member> members, PayloadHashing hashing, Clock clock) {
    return new AgentSession(members, hashing, clock);
  }

  public String sessionId() {
    return sessionId;
  }

  private Member member(String name) {
    return members.stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no session member named " + name));
  }

  private AuditEvent stampRaw(Member m, ObjectNode payload) {
    AuditEvent e = m.chain().append(payload);
    eventCounts.merge(m.name(), 1, Integer::sum);
    return e;
  }

  private ObjectNode sessionPayload(String eventType, ObjectNode base) {
    ObjectNode p = base.deepCopy();
    p.put("event_type", eventType);
    p.put("session_id", sessionId);
    p.put("aiss_profile", "AISS-1");
    return p;
  }

  /** Stamps {@code session_start} for everyone and runs a handshake for every pair. */
  public synchronized void start() throws HandshakeException {
    startedAt = clock.millis() / 1000;
    for (Member m : members) {
      ObjectNode p = Json.object();
      p.put("session_id", sessionId);
      ArrayNode ids = p.putArray("participants");
      members.forEach(x -> ids.add(x.agentId()));
      ArrayNode names = p.putArray("participant_names");
      members.forEach(x -> names.add(x.name()));
      p.put("agent_count", members.size());
      stampRaw(m, sessionPayload("session_start", p));
    }
    for (int i = 0; i < members.size(); i++) {
      for (int j = i + 1; j < members.size(); j++) {
        handshake(members.get(i), members.get(j));
      }
    }
  }

  private void handshake(Member initiator, Member responder) throws HandshakeException {
    A2aHandshake a = new A2aHandshake(initiator.key(), clock);
    A2aHandshake b = new A2aHandshake(responder.key(), clock);
    ObjectNode metadata = Json.object();
    metadata.put("session_id", sessionId);
    metadata.put("name", initiator.name());
    ObjectNode proposal = a.propose(SESSION_CAPABILITIES, Optional.of(metadata));
    ObjectNode response = b.respond(proposal, SESSION_CAPABILITIES);
    ObjectNode confirmation = a.confirm(proposal, response);
    b.verifyConfirmation(proposal, response, confirmation);
    stampRaw(initiator, sessionHandshake(a.handshakePayload(proposal, response), responder.name()));
    stampRaw(responder, sessionHandshake(b.handshakePayload(proposal, response), initiator.name()));
    handshakes++;
  }

  private ObjectNode sessionHandshake(ObjectNode payload, String peerName) {
    payload.put("a2a_session_id", payload.path("session_id").stringValue(""));
    payload.put("session_id", sessionId);
    payload.put("peer_name", peerName);
    return payload;
  }

  /**
   * Stamps work by {@code name}. With a peer, both members stamp: the sender {@code eventType},
   * the peer {@code eventType + "_received"}, each with the other's signature over the shared
   * interaction statement. Returns the sender's event.
   */
  public synchronized AuditEvent stamp(
      String name, String eventType, ObjectNode payload, Optional<String> peerName) {
    Member sender = member(name);
    ObjectNode hashed = hashing.apply(payload);
    if (peerName.isEmpty()) {
      return stampRaw(sender, sessionPayload(eventType, hashed));
    }
    Member peer = member(peerName.get());
    ObjectNode interaction = Json.object();
    interaction.put("type", "handshake-session-interaction/1");
    interaction.put("session_id", sessionId);
    interaction.put("event_type", eventType);
    interaction.put("sender", sender.agentId());
    interaction.put("receiver", peer.agentId());
    interaction.put("payload_hash", Sha256.hex(CanonicalJson.canonicalize(hashed)));
    interaction.put("nonce", UUID.randomUUID().toString());
    byte[] statement = CanonicalJson.canonicalize(interaction);
    String interactionHash = Sha256.hex(statement);
    String senderSig = Base64Text.encode(sender.key().sign(statement));
    String peerSig = Base64Text.encode(peer.key().sign(statement));

    ObjectNode mine = sessionPayload(eventType, hashed);
    mine.put("interaction_hash", interactionHash);
    mine.set("interaction", interaction.deepCopy());
    mine.put("my_role", "initiator");
    mine.put("peer_agent_id", peer.agentId());
    mine.put("peer_signature", peerSig);
    AuditEvent sent = stampRaw(sender, mine);

    ObjectNode theirs = sessionPayload(eventType + "_received", hashed);
    theirs.put("interaction_hash", interactionHash);
    theirs.set("interaction", interaction);
    theirs.put("my_role", "responder");
    theirs.put("peer_agent_id", sender.agentId());
    theirs.put("peer_signature", senderSig);
    stampRaw(peer, theirs);
    return sent;
  }

  /**
   * Checks the co-signature of an interaction event written by {@link #stamp}: the embedded
   * statement hashes to {@code interaction_hash} and {@code peerKey} signed it.
   */
  public static boolean verifyInteraction(AuditEvent event, Ed25519PublicKey peerKey) {
    ObjectNode payload = event.payload();
    JsonNode interaction = payload.path("interaction");
    if (!interaction.isObject()) {
      return false;
    }
    byte[] statement = CanonicalJson.canonicalize(interaction);
    if (!Sha256.hex(statement).equals(payload.path("interaction_hash").stringValue(""))) {
      return false;
    }
    return Base64Text.decodeStrict(payload.path("peer_signature").stringValue(""))
        .map(sig -> peerKey.verify(statement, sig))
        .orElse(false);
  }

  /** Stamps {@code session_end} for everyone and returns the reference's summary object. */
  public synchronized ObjectNode end() {
    long now = clock.millis() / 1000;
    ObjectNode summary = Json.object();
    summary.put("session_id", sessionId);
    summary.put("started_at", startedAt);
    ObjectNode agents = summary.putObject("agents");
    for (Member m : members) {
      ObjectNode p = Json.object();
      p.put("session_id", sessionId);
      p.put("duration_s", now - startedAt);
      p.put("event_count", eventCounts.getOrDefault(m.name(), 0));
      stampRaw(m, sessionPayload("session_end", p));
      ObjectNode a = agents.putObject(m.name());
      a.put("agent_id", m.agentId());
      a.put("event_count", eventCounts.getOrDefault(m.name(), 0));
    }
    summary.put("handshakes", handshakes);
    return summary;
  }
}
