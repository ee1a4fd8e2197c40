package dev.handshake.pairing.device;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * One device's request for a role and scopes, waiting for an operator (pairing.md §2.4). A device
 * has at most one live request. A resolved request stays resolvable by its id, so a client that
 * polls an id that a retry replaced learns {@code SUPERSEDED} and the new id, not "unknown
 * requestId" (OpenClaw #97957).
 *
 * @param publicKey the device key, unpadded base64url of the raw 32 bytes
 * @param scopes everything the device asked for, sorted
 * @param lastSeenAt the last retry with the same key, role and scopes
 * @param expiresAt moved forward by each such retry: a request lives while its device waits
 * @param isUpgrade the device was already paired and asked for a role or scope beyond its approval
 * @param resolvedBy who approved or rejected it; {@code system} for an expiry, the device for a
 *     supersede
 * @param supersededBy the request that replaced this one
 */
public record DeviceRequest(
    String requestId,
    String deviceId,
    String publicKey,
    String displayName,
    String platform,
    String clientId,
    String role,
    Set<String> scopes,
    String remoteAddress,
    Instant createdAt,
    Instant lastSeenAt,
    Instant expiresAt,
    DeviceRequestState state,
    boolean isUpgrade,
    Optional<String> resolvedBy,
    Optional<Instant> resolvedAt,
    Optional<String> supersededBy) {

  public DeviceRequest {
    scopes = Names.sorted(scopes);
  }

  public boolean expiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }

  /** Whether {@code ask} is the same request again: same key, role and scopes. */
  boolean sameAsk(AccessAsk ask) {
    return publicKey.equals(ask.identity().publicKeyBase64Url())
        && role.equals(ask.role())
        && scopes.equals(ask.scopes());
  }

  DeviceRequest seen(Instant now, Instant newExpiry) {
    return new DeviceRequest(requestId, deviceId, publicKey, displayName, platform, clientId, role,
        scopes, remoteAddress, createdAt, now, newExpiry, state, isUpgrade, resolvedBy, resolvedAt,
        supersededBy);
  }

  DeviceRequest resolve(DeviceRequestState to, String actor, Instant at,
      Optional<String> replacement) {
    return new DeviceRequest(requestId, deviceId, publicKey, displayName, platform, clientId, role,
        scopes, remoteAddress, createdAt, lastSeenAt, expiresAt, to, isUpgrade, Optional.of(actor),
        Optional.of(at), replacement);
  }
}
