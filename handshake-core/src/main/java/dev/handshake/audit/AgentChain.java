package dev.handshake.audit;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.identity.AgentIds;
import dev.handshake.identity.IdentityDocument;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/**
 * One agent's chain: stamps events with the agent's key onto the end of its chain in an {@link
 * AuditStore} and signs checkpoints of the head.
 *
 * <p>Our profile (aiss.md §3 item 1): genesis previous_hash = SHA-256 of the public key, Base64
 * signatures, random UUID4 nonces, integer seconds that never go backwards (a clock step back
 * reuses the last timestamp instead of breaking the chain's order).
 *
 * <pre>{@code
 * AgentChain chain = AgentChain.open(key, store, Clock.systemUTC());
 * AuditEvent e = chain.append(payload);   // durable when the store is
 * ChainHead head = chain.signHead();       // commit to the head: truncation becomes detectable
 * }</pre>
 */
public final class AgentChain {
  private final Ed25519PrivateKey key;
  private final String agentId;
  private final AuditStore store;
  private final Clock clock;
  private final String genesisPrevious;

  private AgentChain(Ed25519PrivateKey key, AuditStore store, Clock clock, String genesisPrevious) {
    this.key = key;
    this.agentId = AgentIds.aiss(key.publicKey());
    this.store = store;
    this.clock = clock;
    this.genesisPrevious = genesisPrevious;
  }

  public static AgentChain open(Ed25519PrivateKey key, AuditStore store, Clock clock) {
    return new AgentChain(key, store, clock, GenesisForm.genesisHash(key.publicKey()));
  }

  /**
   * Opens the chain of {@code newKey} that continues an identity after {@code rotation} (aiss.md
   * §3 item 14): its first event's previous_hash is the rotation event's hash instead of SHA-256 of
   * the key. When the chain already has events this is the same as {@link #open}.
   *
   * @throws IllegalArgumentException when {@code rotation} is not a key rotation to {@code newKey}
   */
  public static AgentChain openAfterRotation(
      Ed25519PrivateKey newKey, AuditStore store, Clock clock, AuditEvent rotation) {
    ObjectNode payload = rotation.payload();
    if (!KeyRotation.EVENT_TYPE.equals(rotation.eventType())
        || !newKey.publicKey().base64().equals(payload.path("new_public_key").stringValue(""))) {
      throw new IllegalArgumentException(
          "event " + rotation.hash() + " is not a key rotation to this key");
    }
    return new AgentChain(newKey, store, clock, rotation.hash());
  }

  public String agentId() {
    return agentId;
  }

  public Ed25519PublicKey publicKey() {
    return key.publicKey();
  }

  public IdentityDocument identity(long createdAt, Optional<ObjectNode> metadata) {
    return IdentityDocument.of(key.publicKey(), createdAt, metadata);
  }

  /** Stamps {@code payload} with the current time and a fresh nonce. */
  public synchronized AuditEvent append(ObjectNode payload) {
    long now = clock.millis() / 1000;
    return append(payload, Math.max(now, lastTimestamp()), UUID.randomUUID().toString());
  }

  /**
   * Stamps with a caller-chosen timestamp and nonce, honoured as given (aiss.md §4 item 3).
   *
   * @throws IllegalArgumentException when {@code timestamp} is earlier than the chain's last
   *     event or the payload is outside the signable subset
   */
  public synchronized AuditEvent append(ObjectNode payload, long timestamp, String nonce) {
    if (timestamp < lastTimestamp()) {
      throw new IllegalArgumentException(
          "timestamp " + timestamp + " is earlier than the chain's last event (" + lastTimestamp() + ")");
    }
    String previous = store.last(agentId).map(AuditEvent::hash).orElse(genesisPrevious);
    AuditEvent event =
        EventStamper.stamp(key, agentId, payload, previous, timestamp, nonce, SignatureEncoding.BASE64);
    store.append(event);
    return event;
  }

  private long lastTimestamp() {
    Optional<AuditEvent> last = store.last(agentId);
    return last.isPresent() && last.get().timestamp().isPresent()
        ? last.get().timestamp().getAsLong()
        : Long.MIN_VALUE;
  }

  /** Signs and stores a checkpoint of the current head. */
  public synchronized ChainHead signHead() {
    long count = store.count(agentId);
    String headHash =
        store.last(agentId).map(AuditEvent::hash).orElseGet(() -> GenesisForm.genesisHash(key.publicKey()));
    ChainHead head = ChainHead.sign(key, agentId, count, headHash, clock.millis() / 1000);
    store.saveHead(head);
    return head;
  }

  public List<AuditEvent> events() {
    return store.events(agentId);
  }
}
