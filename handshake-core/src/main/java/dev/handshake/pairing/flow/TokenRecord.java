package dev.handshake.pairing.flow;

import dev.handshake.pairing.Requester;
import java.time.Instant;
import java.util.Set;

/**
 * A stored access token: its HMAC, never the token. {@code grantRef} names the grant it was
 * issued under (request id and approval time), so a token outlives neither that grant's
 * revocation nor a later re-approval that made a new grant.
 *
 * @param tokenHash HMAC-SHA256 of the token under {@code pepper.derive("access-token")}, hex
 */
public record TokenRecord(
    String tokenHash,
    Requester requester,
    Set<String> scopes,
    Instant issuedAt,
    Instant expiresAt,
    String grantRef) {
  public TokenRecord {
    scopes = Set.copyOf(scopes);
  }
}
