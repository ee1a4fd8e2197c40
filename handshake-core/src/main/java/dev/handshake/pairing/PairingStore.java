package dev.handshake.pairing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one approval service behind every surface (pairing.md §3.2 rule 5): the CLI, the admin
 * HTTP API, chat buttons and the RFC 8628 device flow all call these methods, and every call is
 * one transaction, safe across threads and — for the SQLite store — across processes (the server
 * and the CLI approving at once never duplicate a grant or lose an update).
 *
 * <p>PraisonAI's {@code PairingProtocol} maps onto it: {@code generate_code} → {@link #request},
 * {@code approve} → {@link #approve}, {@code is_paired} → {@link #isPaired}, {@code list_paired} →
 * {@link #grants}, {@code revoke} → {@link #revoke}, {@code list_pending} → {@link #pending}; {@link
 * #deny} is ours (PraisonAI's deny wrote a junk grant). Unlike {@code generate_code}, a code is
 * bound to its requester from the start, and {@code approve} takes no identity.
 *
 * <pre>{@code
 * PairingStore store = SqliteStores.pairing(dataDir, PairingConfig.defaults(), pepper, clock);
 * if (store.request(Requester.of("telegram", "123"), Map.of("name", "Ann"), Optional.empty())
 *     instanceof RequestOutcome.Created c) {
 *   reply("Your pairing code: " + c.code().display());
 * }
 * store.approve(ApprovalTarget.code(typedCode), Approver.named("cli:owner"));
 * }</pre>
 */
public interface PairingStore extends AutoCloseable {

  PairingConfig config();

  /**
   * A sender asks for access: a new request with a fresh code, or the refresh of the sender's live
   * one (no new code), or a refusal when caps or creation limits are reached.
   *
   * @param displayMeta shown to owners (sanitised there); at most 8 entries of 256 characters
   * @param source the network address the request came from, for the per-source limit
   */
  RequestOutcome request(Requester requester, Map<String, String> displayMeta, Optional<String> source);

  /**
   * Replaces the sender's live request with a new one and a new code; the old one becomes
   * SUPERSEDED (still resolvable by its id). Without a live request this is {@link #request}.
   */
  RequestOutcome renew(Requester requester, Map<String, String> displayMeta, Optional<String> source);

  /** Approves the request {@code target} names: its own requester gets a grant. */
  Resolution approve(ApprovalTarget target, Approver approver);

  /** Denies the request {@code target} names, for good, writing no grant. */
  Resolution deny(ApprovalTarget target, Approver approver);

  /** Whether {@code requester} holds an active grant. */
  boolean isPaired(Requester requester);

  /** The requester's grant, active or revoked. */
  Optional<Grant> grant(Requester requester);

  /** Grants, oldest approval first; revoked ones only when asked. */
  List<Grant> grants(boolean includeRevoked);

  /** Revokes the requester's active grant; empty when there was none. */
  Optional<Grant> revoke(Requester requester, String actor);

  /** Live requests, oldest first, of one channel type or all. */
  List<PairingRequest> pending(Optional<String> channelType);

  /** A request by id, in whatever state it is (resolved ones for {@link PairingConfig#keepResolved}). */
  Optional<PairingRequest> find(String requestId);

  /**
   * Expires live requests whose time is up (one {@code pairing.expired} event each) and forgets
   * resolved ones older than {@link PairingConfig#keepResolved}; returns how many expired. Every
   * other call also expires what it touches, so this only keeps lists and events timely.
   */
  int sweep();

  /**
   * Adds a live request carried over from another store (an OpenClaw pairing file, a PraisonAI
   * entry with a plaintext code): the code is hashed and not kept. Empty when the requester is
   * already paired or has a live request, or the code is in use.
   */
  Optional<PairingRequest> importRequest(
      Requester requester, Map<String, String> displayMeta, PairingCode code, Instant createdAt,
      String actor);

  /** Adds an active grant carried over from another store, unless the requester has one. */
  Optional<Grant> importGrant(Requester requester, Instant approvedAt, String actor);

  /** Up to {@code limit} events after {@code afterSeq}, in order. */
  List<PairingEvent> events(long afterSeq, int limit);

  @Override
  void close();
}
