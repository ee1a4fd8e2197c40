package dev.handshake.pairing.flow;

import dev.handshake.pairing.Requester;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A stored access token: its HMAC, never the token. {@code grantRef} names the grant it was
 * issued under (request id and approval time), so a token outlives neither that grant's
 * revocation nor a later re-approval that made a new grant.
 *
 * @param tokenHash HMAC-SHA256 of the token under {@code pepper.derive("access-token")}, hex
 * @param jkt for a DPoP-bound token (RFC 9449), the thumbprint of the key it is bound to: the
 *     token is then accepted only with a proof made with that key, never as a bearer token
 */
public record TokenRecord(
    String tokenHash,
    Requester requester,
    Set<String> scopes,
    Instant issuedAt,
    Instant expiresAt,
    String grantRef,
    Optional<String> jkt) {
  public TokenRecord {
    scopes = Set.copyOf(scopes);
  }
}
