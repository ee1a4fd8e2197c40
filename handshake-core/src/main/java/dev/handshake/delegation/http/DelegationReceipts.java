package dev.handshake.delegation.http;

import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.AuditRecorder;
import dev.handshake.crypto.Sha256;
import dev.handshake.delegation.Decision;
import dev.handshake.delegation.Reasons;
import dev.handshake.delegation.SignedTaskPacket;
import dev.handshake.json.Json;
import java.util.Optional;
import java.util.OptionalLong;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes delegation decisions as {@link AuditRecorder.Kind#DELEGATION} receipts on the server's
 * audit chain. A receipt names the packet (id, sender, receiver, nonce, SHA-256 of its signed
 * bytes) and the decision, never the intent or the context: the log is public material and a
 * hand-off's task text may not be.
 */
final class DelegationReceipts {
  /** Event types: the reference collector's names (trusthandoff.md §3 item 9) for our decisions. */
  static final String ACCEPTED = "handoff_accepted";

  static final String REJECTED_SIGNATURE = "handoff_rejected_invalid_signature";
  static final String REJECTED_PACKET = "handoff_rejected_invalid_packet";

  /** A decision an agent took itself and reported through {@code /delegation/decisions}. */
  static final String REPORTED = "handoff_decision_reported";

  /** One recorded receipt: its event hash and, when the log indexed it, its position. */
  record Receipt(String eventHash, OptionalLong logIndex) {
    String proofUrl() {
      return "/v1/audit/proof/event/" + eventHash;
    }

    ObjectNode toJson() {
      ObjectNode n = Json.object();
      n.put("event_hash", eventHash);
      if (logIndex.isPresent()) {
        n.put("log_index", logIndex.getAsLong());
      } else {
        n.putNull("log_index");
      }
      n.put("proof_url", proofUrl());
      return n;
    }
  }

  private final AuditRecorder recorder;

  DelegationReceipts(AuditRecorder recorder) {
    this.recorder = recorder;
  }

  /**
   * Records the server's own decision on {@code body}; {@code packet} is empty when the body did
   * not parse as one (the receipt then names only the body's hash).
   *
   * @throws IllegalArgumentException when a packet field cannot be signed (e.g. a lone surrogate)
   */
  Optional<Receipt> verified(
      Decision decision, Optional<SignedTaskPacket> packet, byte[] body, boolean reference) {
    ObjectNode p = Json.object();
    p.put("packet_id", decision.packetId());
    packet.ifPresent(pk -> describe(p, pk));
    p.put("decision", decision.verdict().name());
    decision.reason().ifPresentOrElse(r -> p.put("reason", r), () -> p.putNull("reason"));
    p.put("input_sha256", Sha256.hex(body));
    p.put("profile", reference ? "reference" : "default");
    p.put("decided_by", "server");
    String type =
        decision.accepted()
            ? ACCEPTED
            : decision.reason().filter(Reasons.INVALID_SIGNATURE::equals).isPresent()
                ? REJECTED_SIGNATURE
                : REJECTED_PACKET;
    return record(type, p);
  }

  /**
   * Records a decision an agent reports for a packet whose signature the caller verified.
   *
   * @throws IllegalArgumentException when a field cannot be signed
   */
  Optional<Receipt> reported(
      SignedTaskPacket packet, Decision.Verdict verdict, Optional<String> reason) {
    ObjectNode p = Json.object();
    p.put("packet_id", packet.packetId());
    describe(p, packet);
    p.put("decision", verdict.name());
    reason.ifPresentOrElse(r -> p.put("reason", r), () -> p.putNull("reason"));
    p.put("decided_by", "agent");
    p.put("signature_verified", true);
    return record(REPORTED, p);
  }

  private static void describe(ObjectNode p, SignedTaskPacket packet) {
    p.put("from_agent", packet.fromAgent());
    p.put("to_agent", packet.toAgent());
    p.put("nonce", packet.nonce());
    p.put("signing_payload_sha256", Sha256.hex(packet.signingPayload()));
  }

  private Optional<Receipt> record(String type, ObjectNode payload) {
    return recorder.record(AuditRecorder.Kind.DELEGATION, type, payload).map(this::receipt);
  }

  private Receipt receipt(AuditEvent event) {
    return new Receipt(event.hash(), recorder.ledger().indexOf(event.hash()));
  }
}
