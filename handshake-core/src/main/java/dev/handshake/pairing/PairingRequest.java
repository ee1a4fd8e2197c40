package dev.handshake.pairing;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One request for access (pairing.md §3.2 rule 1). The code itself is never kept: only {@code
 * codeHash}, its HMAC under the server's {@link Pepper}. A resolved request stays resolvable by
 * its id, so a client that polls an old id learns {@code superseded} or {@code expired} instead of
 * "unknown request".
 *
 * @param displayMeta what the requester said about itself (name, platform): shown to owners after
 *     sanitising, never used as identity
 * @param resolvedBy who approved, denied or revoked it; {@code system} for an expiry by time
 * @param supersededBy the request that replaced this one
 */
public record PairingRequest(
    String requestId,
    Requester requester,
    Map<String, String> displayMeta,
    String codeHash,
    Instant createdAt,
    Instant lastSeenAt,
    Instant expiresAt,
    RequestState state,
    int failedAttempts,
    Optional<String> resolvedBy,
    Optional<Instant> resolvedAt,
    Optional<String> supersededBy) {

  public PairingRequest {
    displayMeta = Map.copyOf(displayMeta);
  }

  public boolean expiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }

  PairingRequest seen(Instant now) {
    return new PairingRequest(requestId, requester, displayMeta, codeHash, createdAt, now,
        expiresAt, state, failedAttempts, resolvedBy, resolvedAt, supersededBy);
  }

  PairingRequest failedGuess() {
    return new PairingRequest(requestId, requester, displayMeta, codeHash, createdAt, lastSeenAt,
        expiresAt, state, failedAttempts + 1, resolvedBy, resolvedAt, supersededBy);
  }

  PairingRequest resolve(RequestState to, String actor, Instant at, Optional<String> replacement) {
    return new PairingRequest(requestId, requester, displayMeta, codeHash, createdAt, lastSeenAt,
        expiresAt, to, failedAttempts, Optional.of(actor), Optional.of(at), replacement);
  }
}
