package dev.handshake.pairing.dpop;

import java.time.Instant;
import java.util.Optional;

/**
 * A DPoP proof that verified: the key it was made with and what it was made for.
 *
 * @param jkt the RFC 7638 SHA-256 thumbprint of the proof's public key (base64url), the value a
 *     bound token carries as {@code cnf.jkt}
 * @param algorithm the JWS {@code alg}
 * @param jti the proof's unique id
 * @param htm the HTTP method it was made for
 * @param htu the HTTP URI it was made for, as sent
 * @param issuedAt its {@code iat}
 * @param nonce the server nonce it carried, if any
 */
public record DpopProof(
    String jkt,
    String algorithm,
    String jti,
    String htm,
    String htu,
    Instant issuedAt,
    Optional<String> nonce) {}
