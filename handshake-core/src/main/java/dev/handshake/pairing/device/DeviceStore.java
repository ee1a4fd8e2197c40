package dev.handshake.pairing.device;

import dev.handshake.pairing.Approver;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Device pairing state and its rules (pairing.md §2.4, §3.2 rule 7): device requests, paired
 * devices, per-(device, role) tokens, bootstrap tokens and the event log. Every call is one
 * transaction, safe across threads and — for the SQLite store — across processes, and every state
 * change appends its {@link DeviceEvent} in that transaction.
 *
 * <p>Rules the store holds, whatever surface calls it:
 *
 * <ul>
 *   <li>One live request per device. The same ask again (same key, role and scopes) refreshes it
 *       and keeps its id; another key, role or scopes supersedes it under a new id, and the old id
 *       stays findable and reports {@code SUPERSEDED} (OpenClaw #97957).
 *   <li>Nothing widens silently: an ask beyond what a paired device holds becomes an upgrade
 *       request ({@code isUpgrade}) and grants nothing until approved.
 *   <li>Tokens are 32 random bytes, shown once, stored only as HMAC-SHA256 under {@code
 *       pepper.derive("device-token")}, compared in constant time; one live token per (device,
 *       role).
 * </ul>
 *
 * <pre>{@code
 * DeviceStore store = SqliteStores.devices(dataDir, DevicePairingConfig.defaults(), pepper, clock);
 * store.approve(requestId, Approver.named("cli:owner"));
 * if (store.issueTokenIfNone(deviceId, "node", actor) instanceof TokenIssue.Issued i) {
 *   handToDevice(i.secret());
 * }
 * }</pre>
 */
public interface DeviceStore extends AutoCloseable {

  DevicePairingConfig config();

  /**
   * A device (its proof verified) asks for a role and scopes: {@link AccessOutcome.Covered} when
   * approved already, else a request created, refreshed or superseded; refused when caps are
   * reached or it asks for more than {@link DevicePairingConfig#maxScopes} scopes.
   */
  AccessOutcome requestAccess(AccessAsk ask);

  /** Approves a pending request: the device is paired with the request's role and scopes added. */
  DeviceResolution approve(String requestId, Approver approver);

  /** Rejects a pending request for good; nothing is granted. */
  DeviceResolution reject(String requestId, Approver approver);

  /** Pending requests, oldest first. */
  List<DeviceRequest> pending();

  /** A request by id in any state (resolved ones for {@link DevicePairingConfig#keepResolved}). */
  Optional<DeviceRequest> find(String requestId);

  Optional<PairedDevice> device(String deviceId);

  /** Paired devices, oldest pairing first. */
  List<PairedDevice> devices();

  /** Unpairs a device and deletes its tokens; empty when it was not paired. */
  Optional<PairedDevice> remove(String deviceId, String actor);

  /**
   * A token for the role unless it has a live one ({@link TokenIssue.Kept}); a revoked token is
   * replaced. Refused when the device is not paired or the role not approved.
   */
  TokenIssue issueTokenIfNone(String deviceId, String role, String actor);

  /** A new token for the role; the previous one, live or not, stops working. */
  TokenIssue rotate(String deviceId, String role, String actor);

  /** Revokes the role's live token; empty when it had none. The role stays approved. */
  Optional<DeviceToken> revoke(String deviceId, String role, String actor);

  /** The device's tokens (without secrets), by role. */
  List<DeviceToken> tokens(String deviceId);

  /**
   * Checks a presented token for {@code role} and {@code scopes} in OpenClaw's order: not paired,
   * role not approved, token missing, revoked, mismatch, scope mismatch.
   */
  TokenCheck checkToken(
      String deviceId, String role, Optional<String> presented, Set<String> scopes);

  /** A new single-use bootstrap token living {@link DevicePairingConfig#bootstrapTtl}. */
  BootstrapIssue issueBootstrap(String actor);

  /**
   * Spends a bootstrap token for {@code ask}'s device and approves that device for role {@code
   * node} with no scopes (whatever {@code ask} asks for; the rest goes through {@link
   * #requestAccess}). Invalid once used, after expiry, and for unknown tokens.
   */
  BootstrapRedemption redeemBootstrap(String presented, AccessAsk ask);

  /** Bootstrap tokens still redeemable, oldest first. */
  List<BootstrapToken> bootstrapTokens();

  /**
   * Expires pending requests whose time is up (one {@code device.expired} event each) and forgets
   * resolved requests, spent or expired bootstrap tokens and events older than {@link
   * DevicePairingConfig#keepResolved}; returns how many requests expired. Other calls expire what
   * they touch, so this only keeps lists and events timely.
   */
  int sweep();

  /** Up to {@code limit} events after {@code afterSeq}, in order. */
  List<DeviceEvent> events(long afterSeq, int limit);

  @Override
  void close();
}
