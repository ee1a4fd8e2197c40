package dev.handshake.audit;

import dev.handshake.crypto.Base64Text;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.identity.AgentIds;
import dev.handshake.identity.IdentityDocument;
import dev.handshake.json.Json;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Key rotation as a chain event (aiss.md §2.2 "Key rotation", §3 item 14): the last event of the
 * old key's chain, signed by the old key, names the new key; the new key's chain starts from that
 * event's hash ({@link AgentChain#openAfterRotation}).
 *
 * <p>The payload has the reference's fields ({@code event_type} and {@code attestation_type}
 * {@code "key_rotation"}, {@code previous_agent_id}, {@code previous_public_key} and {@code
 * new_public_key} in standard Base64, {@code new_agent_id}, {@code rotation_timestamp}) plus {@code
 * new_key_signature}: the new key's Base64 Ed25519 signature over the canonical payload without
 * that field. The reference's new key never signs, so anyone holding the old key could "rotate" to
 * a key they do not control (or to someone else's); with the signature the new key proves
 * possession and consent. Reference readers ignore the extra field.
 *
 * <pre>{@code
 * AuditEvent rotation = KeyRotation.rotate(oldChain, newKey, clock);
 * AgentChain next = AgentChain.openAfterRotation(newKey, store, clock, rotation);
 * RotationReport r = KeyRotation.verify(oldIdentity, rotation, next.events(), VerifyOptions.ours());
 * }</pre>
 */
public final class KeyRotation {
  public static final String EVENT_TYPE = "key_rotation";
  public static final String NEW_KEY_SIGNATURE = "new_key_signature";

  private KeyRotation() {}

  /** The rotation payload from {@code oldKey} to {@code newKey}, signed by the new key. */
  public static ObjectNode payload(
      Ed25519PublicKey oldKey, Ed25519PrivateKey newKey, long rotationTimestamp) {
    if (oldKey.equals(newKey.publicKey())) {
      throw new IllegalArgumentException("the new key is the old key");
    }
    ObjectNode payload = Json.object();
    payload.put("event_type", EVENT_TYPE);
    payload.put("attestation_type", EVENT_TYPE);
    payload.put("previous_agent_id", AgentIds.aiss(oldKey));
    payload.put("previous_public_key", oldKey.base64());
    payload.put("new_agent_id", AgentIds.aiss(newKey.publicKey()));
    payload.put("new_public_key", newKey.publicKey().base64());
    payload.put("rotation_timestamp", rotationTimestamp);
    byte[] proof = newKey.sign(AuditEvent.canonicalWithout(payload, NEW_KEY_SIGNATURE));
    payload.put(NEW_KEY_SIGNATURE, Base64Text.encode(proof));
    return payload;
  }

  /** Stamps the rotation to {@code newKey} onto {@code oldChain}, signed by the chain's (old) key. */
  public static AuditEvent rotate(AgentChain oldChain, Ed25519PrivateKey newKey, Clock clock) {
    return oldChain.append(payload(oldChain.publicKey(), newKey, clock.millis() / 1000));
  }

  /**
   * Checks a rotation away from {@code oldIdentity}: the payload's fields and key bindings, the old
   * key's signature on the event, the new key's {@code new_key_signature}, and — when {@code
   * newChain} has events — that its first event's previous_hash is the rotation event's hash and
   * that the chain verifies ({@link ChainVerifier} with {@code options}, any genesis form, since a
   * rotated chain's genesis is the rotation hash). The old chain itself is checked separately with
   * {@link ChainVerifier}. Every failure is reported; a rotation without {@code new_key_signature}
   * (reference data) is {@link RotationReport.Status#NO_PROOF_OF_POSSESSION}, not valid.
   */
  public static RotationReport verify(
      IdentityDocument oldIdentity,
      AuditEvent rotation,
      List<AuditEvent> newChain,
      VerifyOptions options) {
    List<String> problems = new ArrayList<>();
    ObjectNode payload = rotation.payload();
    VerifyOptions anyGenesis = options.withGenesis(VerifyOptions.GenesisRule.ANY);
    if (!EVENT_TYPE.equals(rotation.eventType())
        || !EVENT_TYPE.equals(payload.path("attestation_type").stringValue(""))) {
      problems.add("not a key rotation event (event_type and attestation_type must be key_rotation)");
    }
    ChainReport signed =
        new ChainVerifier(anyGenesis).verify(List.of(rotation), oldIdentity, Optional.empty());
    signed.errors().forEach(e -> problems.add("rotation event: " + e));

    Optional<Ed25519PublicKey> previous = key(payload, "previous_public_key", problems);
    if (previous.isPresent() && !previous.get().equals(oldIdentity.publicKey())) {
      problems.add("previous_public_key is not the old identity's key");
    }
    checkId(payload, "previous_agent_id", previous, problems);
    Optional<Ed25519PublicKey> next = key(payload, "new_public_key", problems);
    checkId(payload, "new_agent_id", next, problems);
    if (next.isPresent() && next.get().equals(oldIdentity.publicKey())) {
      problems.add("new_public_key is the old key");
    }

    boolean proof = payload.has(NEW_KEY_SIGNATURE);
    if (proof && next.isPresent()) {
      Optional<byte[]> sig =
          Base64Text.decodeStrict(payload.path(NEW_KEY_SIGNATURE).stringValue(""))
              .filter(b -> b.length == Ed25519PublicKey.SIGNATURE_SIZE);
      if (sig.isEmpty()) {
        problems.add(NEW_KEY_SIGNATURE + " is not standard Base64 of 64 bytes");
      } else if (!next.get().verify(AuditEvent.canonicalWithout(payload, NEW_KEY_SIGNATURE), sig.get())) {
        problems.add(NEW_KEY_SIGNATURE + " does not verify with new_public_key");
      }
    }

    Optional<Boolean> linkage = Optional.empty();
    Optional<ChainReport> newReport = Optional.empty();
    if (!newChain.isEmpty()) {
      boolean linked = rotation.hash().equals(newChain.getFirst().previousHash().orElse(""));
      linkage = Optional.of(linked);
      if (!linked) {
        problems.add("the new chain's first previous_hash is not the rotation event's hash "
            + rotation.hash());
      }
      if (next.isPresent()) {
        long created = payload.path("rotation_timestamp").asLong(0);
        IdentityDocument newIdentity = IdentityDocument.of(next.get(), created, Optional.empty());
        ChainReport report = new ChainVerifier(anyGenesis).verify(newChain, newIdentity, Optional.empty());
        report.errors().forEach(e -> problems.add("new chain: " + e));
        newReport = Optional.of(report);
      }
    }

    RotationReport.Status status =
        !problems.isEmpty()
            ? RotationReport.Status.INVALID
            : proof ? RotationReport.Status.VALID : RotationReport.Status.NO_PROOF_OF_POSSESSION;
    return new RotationReport(
        status,
        payload.path("previous_agent_id").stringValue(""),
        payload.path("new_agent_id").stringValue(""),
        proof,
        linkage,
        problems,
        newReport);
  }

  private static Optional<Ed25519PublicKey> key(ObjectNode payload, String field, List<String> problems) {
    Optional<Ed25519PublicKey> key =
        Base64Text.decodeStrict(payload.path(field).stringValue("")).flatMap(Ed25519PublicKey::parse);
    if (key.isEmpty()) {
      problems.add(field + " is not standard Base64 of a 32-byte Ed25519 key");
    }
    return key;
  }

  private static void checkId(
      ObjectNode payload, String field, Optional<Ed25519PublicKey> key, List<String> problems) {
    JsonNode id = payload.path(field);
    if (key.isPresent() && !AgentIds.isAissIdOf(id.stringValue(""), key.get())) {
      problems.add(field + " is not derived from its public key");
    }
  }
}
