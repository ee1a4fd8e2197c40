/**
 * DPoP (RFC 9449) proof of possession for access tokens: a client proves on every request that
 * it holds the private key its token is bound to, so a token copied out of a log or a proxy is
 * useless on its own.
 *
 * <p>{@link dev.handshake.pairing.dpop.DpopVerifier} checks a {@code DPoP} proof header (JWS
 * signature with the embedded public JWK, {@code typ}, {@code alg}, {@code htm}, {@code htu},
 * {@code iat} window, {@code jti} replay, {@code ath}, server nonce);
 * {@link dev.handshake.pairing.dpop.DpopNonces} makes stateless server nonces;
 * {@link dev.handshake.pairing.dpop.DpopKey} is the client side that signs proofs. JOSE parsing,
 * JWK handling and RFC 7638 thumbprints come from Nimbus JOSE+JWT; EdDSA signatures are checked
 * with BouncyCastle (our {@link dev.handshake.crypto.Ed25519PublicKey}). docs/PAIRING.md "DPoP".
 */
@NullMarked
package dev.handshake.pairing.dpop;

import org.jspecify.annotations.NullMarked;
