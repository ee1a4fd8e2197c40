package dev.handshake.pairing;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Access given to one requester by an approver (pairing.md §3.2 rule 1). A revoked grant stays
 * listed with who revoked it and when; approving the same requester again later replaces it.
 *
 * @param requestId the request whose approval made it ({@code import} for imported grants)
 */
public record Grant(
    Requester requester,
    String requestId,
    String approvedBy,
    Instant approvedAt,
    Set<String> scopes,
    Optional<Instant> revokedAt,
    Optional<String> revokedBy) {

  public Grant {
    scopes = Set.copyOf(scopes);
  }

  public boolean active() {
    return revokedAt.isEmpty();
  }

  Grant revoke(String actor, Instant at) {
    return new Grant(requester, requestId, approvedBy, approvedAt, scopes, Optional.of(at),
        Optional.of(actor));
  }
}
