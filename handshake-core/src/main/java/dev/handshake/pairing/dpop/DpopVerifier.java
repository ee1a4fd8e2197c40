package dev.handshake.pairing.dpop;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.delegation.ReplayStore;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks {@code DPoP} proof headers (RFC 9449 §4.3) in the order that keeps a forged proof from
 * costing anything: size and syntax, {@code typ}, {@code alg} (asymmetric and allowed), a public
 * {@code jwk} of the right type, the signature, then the claims ({@code htm}, {@code htu}
 * without query or fragment, {@code iat} within [now − maxAge, now + futureSkew], {@code ath}
 * when an access token is sent, the server nonce when demanded) and, last, {@code jti} against
 * the replay store, so a forged proof never burns a real one's id.
 *
 * <p>The replay store is the delegation {@link ReplayStore} keyed by (thumbprint, jti): the
 * in-memory one for a single node, a shared one (SQLite, Redis) for several.
 *
 * <pre>{@code
 * DpopVerifier v = DpopVerifier.create(DpopConfig.defaults(), new InMemoryReplayStore(), nonces, clock);
 * DpopCheck c = v.check(dpopHeader, "GET", "/v1/pairing/whoami", host, Optional.of(accessToken));
 * }</pre>
 */
public final class DpopVerifier {
  /** The {@code typ} every proof carries. */
  public static final String TYPE = "dpop+jwt";
  /** The request header that carries a proof. */
  public static final String HEADER = "DPoP";
  /** The response header that carries a server nonce. */
  public static final String NONCE_HEADER = "DPoP-Nonce";

  private final DpopConfig config;
  private final ReplayStore replay;
  private final DpopNonces nonces;
  private final Clock clock;
  private final DefaultJWSVerifierFactory factory = new DefaultJWSVerifierFactory();

  private DpopVerifier(DpopConfig config, ReplayStore replay, DpopNonces nonces, Clock clock) {
    this.config = config;
    this.replay = replay;
    this.nonces = nonces;
    this.clock = clock;
  }

  public static DpopVerifier create(DpopConfig config, ReplayStore replay, DpopNonces nonces,
      Clock clock) {
    return new DpopVerifier(config, replay, nonces, clock);
  }

  public DpopConfig config() {
    return config;
  }

  /** A fresh server nonce, for a {@code DPoP-Nonce} response header. */
  public String freshNonce() {
    return nonces.issue();
  }

  /**
   * Checks {@code proof} for a request.
   *
   * @param method the request's HTTP method
   * @param path the request's path, without query
   * @param host the request's {@code Host} header (used when no origins are configured)
   * @param accessToken the access token sent with the proof, whose hash {@code ath} must carry;
   *     empty at the token endpoint
   */
  public DpopCheck check(String proof, String method, String path, Optional<String> host,
      Optional<String> accessToken) {
    if (proof.isEmpty() || proof.length() > config.maxProofBytes()) {
      return invalid("the DPoP header is empty or longer than " + config.maxProofBytes() + " bytes");
    }
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(proof.strip());
    } catch (ParseException | RuntimeException e) {
      return invalid("the DPoP proof is not a signed JWT");
    }
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException | RuntimeException e) {
      // Nimbus says which claim has the wrong type (e.g. a string iat); bounded, no input echoed
      String why = Optional.ofNullable(e.getMessage()).orElse("").replaceAll("[^ -~]", "?");
      return invalid("the DPoP proof's claims are malformed: "
          + why.substring(0, Math.min(why.length(), 120)));
    }
    JWSHeader header = jwt.getHeader();
    Optional<String> headerProblem = headerProblem(header);
    if (headerProblem.isPresent()) {
      return invalid(headerProblem.get());
    }
    JWK jwk = header.getJWK();
    if (!verifies(header, jwk, jwt.getSigningInput(), jwt.getSignature().decode())) {
      return invalid("the DPoP proof's signature does not verify with its jwk");
    }
    return checkClaims(claims, header.getAlgorithm().getName(), jwk, method, path, host,
        accessToken);
  }

  private Optional<String> headerProblem(JWSHeader header) {
    if (!new JOSEObjectType(TYPE).equals(header.getType())) {
      return Optional.of("the DPoP proof's typ must be " + TYPE);
    }
    String alg = header.getAlgorithm().getName();
    if (!config.algorithms().contains(alg)) {
      return Optional.of("alg " + printable(alg) + " is not accepted; use one of " + config.algsText());
    }
    if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
      return Optional.of("the DPoP proof has critical header parameters we do not understand");
    }
    JWK jwk = header.getJWK();
    if (jwk == null) {
      return Optional.of("the DPoP proof's header has no jwk");
    }
    if (jwk.isPrivate()) {
      return Optional.of("the DPoP proof's jwk holds a private key; send only the public key");
    }
    if (jwk instanceof RSAKey rsa && rsa.size() < config.minRsaBits()) {
      return Optional.of("RSA keys must have at least " + config.minRsaBits() + " bits");
    }
    return Optional.empty();
  }

  private boolean verifies(JWSHeader header, JWK jwk, byte[] signingInput, byte[] signature) {
    String alg = header.getAlgorithm().getName();
    try {
      if (alg.equals("EdDSA") || alg.equals("Ed25519")) {
        return jwk instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())
            && Ed25519PublicKey.verify(okp.getDecodedX(), signingInput, signature);
      }
      Key key;
      if (jwk instanceof ECKey ec && alg.startsWith("ES")) {
        key = ec.toECPublicKey();
      } else if (jwk instanceof RSAKey rsa && (alg.startsWith("RS") || alg.startsWith("PS"))) {
        key = rsa.toRSAPublicKey();
      } else {
        return false;
      }
      return factory.createJWSVerifier(header, key).verify(header, signingInput,
          com.nimbusds.jose.util.Base64URL.encode(signature));
    } catch (JOSEException | RuntimeException e) {
      return false;
    }
  }

  private DpopCheck checkClaims(JWTClaimsSet claims, String alg, JWK jwk, String method,
      String path, Optional<String> host, Optional<String> accessToken) {
    Optional<String> jti = string(claims, "jti");
    if (jti.isEmpty() || jti.get().isEmpty() || jti.get().length() > config.maxJtiLength()) {
      return invalid("jti must be a string of 1 to " + config.maxJtiLength() + " characters");
    }
    Optional<String> htm = string(claims, "htm");
    if (htm.isEmpty() || !htm.get().equals(method)) {
      return invalid("htm does not match the request method " + method);
    }
    Optional<String> htu = string(claims, "htu");
    if (htu.isEmpty() || !htuMatches(htu.get(), path, host)) {
      return invalid("htu does not match the request URI");
    }
    if (claims.getIssueTime() == null) {
      return invalid("iat must be a number of seconds");
    }
    Instant iat = claims.getIssueTime().toInstant();
    Instant now = clock.instant();
    if (iat.isBefore(now.minus(config.maxAge())) || iat.isAfter(now.plus(config.futureSkew()))) {
      return invalid("iat is outside the accepted window (at most " + config.maxAge().toSeconds()
          + " s old, " + config.futureSkew().toSeconds() + " s ahead)");
    }
    if (accessToken.isPresent()) {
      Optional<String> ath = string(claims, "ath");
      String expected = accessTokenHash(accessToken.get());
      if (ath.isEmpty() || !MessageDigest.isEqual(ath.get().getBytes(StandardCharsets.US_ASCII),
          expected.getBytes(StandardCharsets.US_ASCII))) {
        return invalid("ath does not match the access token sent");
      }
    }
    Optional<String> nonce = string(claims, "nonce");
    if (config.requireNonce() && (nonce.isEmpty() || !nonces.valid(nonce.get()))) {
      return new DpopCheck.NonceRequired(nonces.issue(), nonce.isEmpty()
          ? "this server requires a DPoP nonce; retry with the one in DPoP-Nonce"
          : "the DPoP nonce is stale; retry with the one in DPoP-Nonce");
    }
    String jkt;
    try {
      jkt = jwk.computeThumbprint().toString();
    } catch (JOSEException e) {
      return invalid("cannot compute the jwk thumbprint");
    }
    Instant retain = iat.plus(config.maxAge()).plus(config.futureSkew());
    // "dpop:" keeps these apart from delegation nonces when both share one replay store
    return switch (replay.checkAndRecord("dpop:" + jkt, jti.get(), retain, now)) {
      case FIRST -> new DpopCheck.Valid(new DpopProof(jkt, alg, jti.get(), htm.get(), htu.get(),
          iat, nonce));
      case REPLAY -> invalid("this DPoP proof was already used (jti seen before)");
      case FULL -> new DpopCheck.Unavailable("too many recent DPoP proofs; retry shortly");
    };
  }

  private boolean htuMatches(String htu, String path, Optional<String> host) {
    Optional<String> sent = normalizeHtu(htu);
    if (sent.isEmpty()) {
      return false;
    }
    for (String origin : origins(host)) {
      if (normalizeHtu(origin + path).filter(sent.get()::equals).isPresent()) {
        return true;
      }
    }
    return false;
  }

  private List<String> origins(Optional<String> host) {
    if (!config.origins().isEmpty()) {
      return config.origins();
    }
    List<String> out = new ArrayList<>(2);
    host.filter(h -> h.matches("[A-Za-z0-9.\\-:\\[\\]]{1,255}")).ifPresent(h -> {
      out.add("http://" + h);
      out.add("https://" + h);
    });
    return out;
  }

  /**
   * {@code uri} compared as RFC 9449 §4.3 asks: http(s) only, scheme and host in lower case,
   * default port dropped, dot segments removed, query and fragment ignored.
   */
  public static Optional<String> normalizeHtu(String uri) {
    URI u;
    try {
      u = new URI(uri).normalize();
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    String scheme = Optional.ofNullable(u.getScheme()).map(s -> s.toLowerCase(Locale.ROOT)).orElse("");
    if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
      return Optional.empty();
    }
    int port = u.getPort();
    if ((scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443)) {
      port = -1;
    }
    String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
    return Optional.of(scheme + "://" + u.getHost().toLowerCase(Locale.ROOT)
        + (port >= 0 ? ":" + port : "") + path);
  }

  /** The {@code ath} for {@code accessToken}: base64url SHA-256 of its ASCII bytes. */
  public static String accessTokenHash(String accessToken) {
    byte[] digest = dev.handshake.crypto.Sha256.newDigest()
        .digest(accessToken.getBytes(StandardCharsets.US_ASCII));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
  }

  private static Optional<String> string(JWTClaimsSet claims, String name) {
    return claims.getClaim(name) instanceof String s ? Optional.of(s) : Optional.empty();
  }

  private static String printable(String s) {
    return s.length() > 20 || !s.matches("[A-Za-z0-9_\\-]*") ? "(unprintable)" : s;
  }

  private static DpopCheck invalid(String description) {
    return new DpopCheck.Invalid(description);
  }

  @Override
  public String toString() {
    return "DpopVerifier[" + config.algsText() + ", requireNonce=" + config.requireNonce() + "]";
  }
}
