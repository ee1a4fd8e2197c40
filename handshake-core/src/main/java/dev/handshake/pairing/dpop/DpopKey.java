package dev.handshake.pairing.dpop;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.handshake.crypto.Ed25519PrivateKey;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The client side of DPoP: a key pair that signs a fresh proof for each request (RFC 9449 §4.2).
 * Ed25519 keys ({@code EdDSA}) are our default; ECDSA and RSA private JWKs work too, which is
 * how tests stand in for other clients.
 *
 * <pre>{@code
 * DpopKey key = DpopKey.generate(new SecureRandom());
 * String proof = key.proof("POST", "https://server/oauth/token", Optional.empty(), Optional.empty());
 * // later: Authorization: DPoP <token>, DPoP: key.proof("GET", url, Optional.of(token), nonce)
 * }</pre>
 */
public final class DpopKey {
  private final JWK publicJwk;
  private final JWSAlgorithm algorithm;
  private final Signer signer;
  private final SecureRandom random;

  private interface Signer {
    byte[] sign(byte[] input) throws JOSEException;
  }

  private DpopKey(JWK publicJwk, JWSAlgorithm algorithm, Signer signer, SecureRandom random) {
    this.publicJwk = publicJwk;
    this.algorithm = algorithm;
    this.signer = signer;
    this.random = random;
  }

  /** A new Ed25519 key signing {@code EdDSA} proofs. */
  public static DpopKey generate(SecureRandom random) {
    return ed25519(Ed25519PrivateKey.generate(random), random);
  }

  /** {@code key} signing {@code EdDSA} proofs. */
  public static DpopKey ed25519(Ed25519PrivateKey key, SecureRandom random) {
    JWK jwk = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(key.publicKey().raw()))
        .build();
    return new DpopKey(jwk, JWSAlgorithm.EdDSA, key::sign, random);
  }

  /**
   * A private EC or RSA JWK signing with {@code algorithm} (ES256/384/512, RS*, PS*).
   *
   * @throws IllegalArgumentException when the key is public only or does not fit the algorithm
   */
  public static DpopKey of(JWK privateJwk, JWSAlgorithm algorithm, SecureRandom random) {
    if (!privateJwk.isPrivate()) {
      throw new IllegalArgumentException("a DPoP key needs its private part");
    }
    JWSSigner s;
    try {
      if (privateJwk instanceof ECKey ec) {
        s = new ECDSASigner(ec);
      } else if (privateJwk instanceof RSAKey rsa) {
        s = new RSASSASigner(rsa);
      } else {
        throw new IllegalArgumentException("EC or RSA keys only; use ed25519(...) for Ed25519");
      }
    } catch (JOSEException e) {
      throw new IllegalArgumentException("unusable key: " + e.getMessage(), e);
    }
    JWSHeader probe = new JWSHeader.Builder(algorithm).build();
    return new DpopKey(privateJwk.toPublicJWK(), algorithm,
        input -> s.sign(probe, input).decode(), random);
  }

  /** The RFC 7638 thumbprint a token bound to this key carries ({@code cnf.jkt}). */
  public String thumbprint() {
    try {
      return publicJwk.computeThumbprint().toString();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot compute the thumbprint", e);
    }
  }

  /** A proof for one request, issued now with a random {@code jti}. */
  public String proof(String method, String htu, Optional<String> accessToken,
      Optional<String> nonce) {
    byte[] id = new byte[16];
    random.nextBytes(id);
    return proof(method, htu, accessToken, nonce, Instant.now(), HexFormat.of().formatHex(id));
  }

  /** A proof with the given issue time and id (tests use this to make stale and replayed ones). */
  public String proof(String method, String htu, Optional<String> accessToken,
      Optional<String> nonce, Instant issuedAt, String jti) {
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
        .jwtID(jti)
        .claim("htm", method)
        .claim("htu", htu)
        .issueTime(Date.from(issuedAt));
    accessToken.ifPresent(t -> claims.claim("ath", DpopVerifier.accessTokenHash(t)));
    nonce.ifPresent(n -> claims.claim("nonce", n));
    JWSHeader header = new JWSHeader.Builder(algorithm)
        .type(new JOSEObjectType(DpopVerifier.TYPE))
        .jwk(publicJwk)
        .build();
    String input = header.toBase64URL() + "."
        + Base64URL.encode(claims.build().toString().getBytes(StandardCharsets.UTF_8));
    try {
      return input + "." + Base64URL.encode(signer.sign(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (JOSEException e) {
      throw new IllegalStateException("signing the DPoP proof failed", e);
    }
  }

  @Override
  public String toString() {
    return "DpopKey[" + algorithm + ", jkt=" + thumbprint() + "]";
  }
}
