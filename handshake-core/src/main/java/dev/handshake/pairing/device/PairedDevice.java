package dev.handshake.pairing.device;

import java.time.Instant;
import java.util.Set;

/**
 * A device an operator approved, with everything approved for it (pairing.md §2.4). Roles and
 * scopes only grow by approving a request; removing the device is the way back.
 *
 * @param publicKey unpadded base64url of the raw 32 key bytes
 * @param approvedRoles roles it may hold tokens for ({@code node}, {@code operator}…), sorted
 * @param approvedScopes scopes it may use with any of its roles, sorted
 * @param pairedAt its first approval
 * @param approvedBy the approver of its latest approval
 * @param updatedAt its latest approval
 */
public record PairedDevice(
    String deviceId,
    String publicKey,
    String displayName,
    String platform,
    String clientId,
    Set<String> approvedRoles,
    Set<String> approvedScopes,
    Instant pairedAt,
    String approvedBy,
    Instant updatedAt) {

  public PairedDevice {
    approvedRoles = Names.sorted(approvedRoles);
    approvedScopes = Names.sorted(approvedScopes);
  }

  /** Whether {@code role} and every one of {@code scopes} are approved. */
  public boolean covers(String role, Set<String> scopes) {
    return approvedRoles.contains(role) && approvedScopes.containsAll(scopes);
  }

  /** This device with {@code role} and {@code scopes} added by an approval. */
  PairedDevice widen(String role, Set<String> scopes, String approver, Instant at) {
    return new PairedDevice(deviceId, publicKey, displayName, platform, clientId,
        Names.union(approvedRoles, Set.of(role)), Names.union(approvedScopes, scopes), pairedAt,
        approver, at);
  }
}
