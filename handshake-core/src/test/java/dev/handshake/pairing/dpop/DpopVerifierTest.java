package dev.handshake.pairing.dpop;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.handshake.delegation.InMemoryReplayStore;
import dev.handshake.pairing.Pepper;
import dev.handshake.pairing.flow.MutableClock;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** RFC 9449 §4.3 checks, one test per rule (pairing.md §2.x "RFC 9449", §3.2 rule 8). */
class DpopVerifierTest {
  static final String URL = "https://server.example.com/oauth/token";
  static final Optional<String> HOST = Optional.of("server.example.com");
  final SecureRandom random = new SecureRandom();
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
  final Pepper pepper = Pepper.random(random);
  final DpopKey key = DpopKey.generate(random);

  DpopVerifier verifier(DpopConfig config) {
    return DpopVerifier.create(config, new InMemoryReplayStore(), DpopNonces.create(pepper, clock, config), clock);
  }

  final DpopVerifier verifier = verifier(DpopConfig.defaults());

  String proof(DpopKey k) {
    return k.proof("POST", URL, Optional.empty(), Optional.empty(), clock.instant(), "jti-" + random.nextInt());
  }

  DpopCheck check(String proof) {
    return verifier.check(proof, "POST", "/oauth/token", HOST, Optional.empty());
  }

  static String reason(DpopCheck c) {
    return c instanceof DpopCheck.Invalid i ? i.description() : c.toString();
  }

  @Test
  void anEd25519ProofVerifiesAndNamesItsKeyThumbprint() {
    DpopCheck c = check(proof(key));
    assertThat(c).isInstanceOf(DpopCheck.Valid.class);
    DpopProof p = ((DpopCheck.Valid) c).proof();
    assertThat(p.jkt()).isEqualTo(key.thumbprint()).hasSize(43);
    assertThat(p.algorithm()).isEqualTo("EdDSA");
    assertThat(p.htm()).isEqualTo("POST");
  }

  @Test
  void es256AndRs256ProofsOfOtherClientsVerify() throws Exception {
    ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
    RSAKey rsa = new RSAKeyGenerator(2048).generate();
    assertThat(check(proof(DpopKey.of(ec, JWSAlgorithm.ES256, random)))).isInstanceOf(DpopCheck.Valid.class);
    assertThat(check(proof(DpopKey.of(rsa, JWSAlgorithm.RS256, random)))).isInstanceOf(DpopCheck.Valid.class);
    assertThat(((DpopCheck.Valid) check(proof(DpopKey.of(ec, JWSAlgorithm.ES256, random)))).proof().jkt())
        .isEqualTo(ec.computeThumbprint().toString());
  }

  @Test
  void theRfc7638ThumbprintExampleIsReproduced() throws Exception {
    // RFC 7638 §3.1: the RSA key's SHA-256 thumbprint.
    RSAKey k = RSAKey.parse("""
        {"kty":"RSA","e":"AQAB","kid":"2011-04-29","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"}
        """);
    assertThat(k.computeThumbprint().toString()).isEqualTo("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  }

  @Test
  void typMustBeDpopJwt() throws Exception {
    ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
    String jwt = sign(ec, new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).jwk(ec.toPublicJWK()).build(), claims());
    assertThat(reason(check(jwt))).contains("typ");
  }

  @Test
  void macAndNoneAlgorithmsAreRefused() throws Exception {
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
        .type(new JOSEObjectType(DpopVerifier.TYPE)).build(), claims());
    hs.sign(new MACSigner(secret));
    assertThat(reason(check(hs.serialize()))).contains("alg HS256 is not accepted");
    String none = Base64URL.encode("{\"typ\":\"dpop+jwt\",\"alg\":\"none\"}") + "."
        + Base64URL.encode(claims().toString()) + ".";
    assertThat(check(none)).isInstanceOf(DpopCheck.Invalid.class);
  }

  @Test
  void anAlgorithmLeftOutOfTheConfigurationIsRefused() throws Exception {
    DpopVerifier onlyEd = verifier(DpopConfig.defaults().withAlgorithms(List.of("EdDSA")));
    ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
    DpopCheck c = onlyEd.check(proof(DpopKey.of(ec, JWSAlgorithm.ES256, random)), "POST", "/oauth/token", HOST, Optional.empty());
    assertThat(reason(c)).contains("ES256 is not accepted; use one of EdDSA");
  }

  @Test
  void aPrivateKeyInTheHeaderIsRefused() throws Exception {
    ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
    String header = "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":" + ec.toJSONString() + "}";
    String input = Base64URL.encode(header) + "." + Base64URL.encode(claims().toString());
    String jwt = input + "." + new com.nimbusds.jose.crypto.ECDSASigner(ec)
        .sign(new JWSHeader(JWSAlgorithm.ES256), input.getBytes(StandardCharsets.US_ASCII));
    assertThat(check(jwt)).isInstanceOf(DpopCheck.Invalid.class);
    assertThat(ec.isPrivate()).isTrue();
  }

  @Test
  void aMissingJwkIsRefused() throws Exception {
    ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
    String jwt = sign(ec, new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType(DpopVerifier.TYPE)).build(), claims());
    assertThat(reason(check(jwt))).contains("no jwk");
  }

  @Test
  void aProofSignedByAnotherKeyThanItsJwkIsRefused() throws Exception {
    ECKey signerKey = new ECKeyGenerator(Curve.P_256).generate();
    ECKey claimed = new ECKeyGenerator(Curve.P_256).generate();
    String jwt = sign(signerKey, new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType(DpopVerifier.TYPE)).jwk(claimed.toPublicJWK()).build(), claims());
    assertThat(reason(check(jwt))).contains("signature does not verify");
    String ed = proof(key);
    String tampered = ed.substring(0, ed.lastIndexOf('.') + 1) + Base64URL.encode(new byte[64]);
    assertThat(reason(check(tampered))).contains("signature does not verify");
  }

  @Test
  void rsaKeysBelow2048BitsAreRefused() throws Exception {
    RSAKey weak = new RSAKeyGenerator(1024, true).generate();
    JWSHeader h = new JWSHeader.Builder(JWSAlgorithm.RS256).type(new JOSEObjectType(DpopVerifier.TYPE)).jwk(weak.toPublicJWK()).build();
    SignedJWT jwt = new SignedJWT(h, claims());
    jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(weak.toPrivateKey(),
        java.util.Set.of(com.nimbusds.jose.crypto.opts.AllowWeakRSAKey.getInstance())));
    assertThat(reason(check(jwt.serialize()))).contains("2048 bits");
  }

  @Test
  void htmMustBeTheRequestMethod() {
    String p = key.proof("GET", URL, Optional.empty(), Optional.empty(), clock.instant(), "a1");
    assertThat(reason(check(p))).contains("htm");
  }

  @Test
  void htuMustBeTheRequestUriIgnoringQueryFragmentCaseAndDefaultPort() {
    assertThat(check(key.proof("POST", "HTTPS://Server.Example.com:443/oauth/token?x=1#f", Optional.empty(), Optional.empty(), clock.instant(), "n1")))
        .isInstanceOf(DpopCheck.Valid.class);
    assertThat(reason(check(key.proof("POST", "https://server.example.com/oauth/other", Optional.empty(), Optional.empty(), clock.instant(), "n2"))))
        .contains("htu");
    assertThat(reason(check(key.proof("POST", "https://evil.example.com/oauth/token", Optional.empty(), Optional.empty(), clock.instant(), "n3"))))
        .contains("htu");
    assertThat(reason(check(key.proof("POST", "ftp://server.example.com/oauth/token", Optional.empty(), Optional.empty(), clock.instant(), "n4"))))
        .contains("htu");
  }

  @Test
  void configuredOriginsReplaceTheHostHeader() {
    DpopVerifier pinned = verifier(DpopConfig.defaults().withOrigins(List.of("https://public.example.org")));
    String forHost = key.proof("POST", URL, Optional.empty(), Optional.empty(), clock.instant(), "o1");
    assertThat(pinned.check(forHost, "POST", "/oauth/token", HOST, Optional.empty())).isInstanceOf(DpopCheck.Invalid.class);
    String forPublic = key.proof("POST", "https://public.example.org/oauth/token", Optional.empty(), Optional.empty(), clock.instant(), "o2");
    assertThat(pinned.check(forPublic, "POST", "/oauth/token", HOST, Optional.empty())).isInstanceOf(DpopCheck.Valid.class);
  }

  @Test
  void iatMustLieWithinTheWindow() {
    Instant now = clock.instant();
    assertThat(reason(check(key.proof("POST", URL, Optional.empty(), Optional.empty(), now.minusSeconds(61), "t1")))).contains("iat");
    assertThat(reason(check(key.proof("POST", URL, Optional.empty(), Optional.empty(), now.plusSeconds(6), "t2")))).contains("iat");
    assertThat(check(key.proof("POST", URL, Optional.empty(), Optional.empty(), now.minusSeconds(59), "t3"))).isInstanceOf(DpopCheck.Valid.class);
  }

  @Test
  void aReplayedProofIsRefusedButTheSameJtiFromAnotherKeyIsNot() {
    String p = key.proof("POST", URL, Optional.empty(), Optional.empty(), clock.instant(), "same");
    assertThat(check(p)).isInstanceOf(DpopCheck.Valid.class);
    assertThat(reason(check(p))).contains("already used");
    DpopKey other = DpopKey.generate(random);
    assertThat(check(other.proof("POST", URL, Optional.empty(), Optional.empty(), clock.instant(), "same"))).isInstanceOf(DpopCheck.Valid.class);
  }

  @Test
  void aForgedProofDoesNotBurnTheJtiOfARealOne() {
    String real = key.proof("POST", URL, Optional.empty(), Optional.empty(), clock.instant(), "victim");
    String forged = real.substring(0, real.lastIndexOf('.') + 1) + Base64URL.encode(new byte[64]);
    assertThat(check(forged)).isInstanceOf(DpopCheck.Invalid.class);
    assertThat(check(real)).isInstanceOf(DpopCheck.Valid.class);
  }

  @Test
  void athMustHashTheAccessTokenSent() {
    String token = "access-token-value";
    String good = key.proof("GET", "https://server.example.com/r", Optional.of(token), Optional.empty(), clock.instant(), "a1");
    assertThat(verifier.check(good, "GET", "/r", HOST, Optional.of(token))).isInstanceOf(DpopCheck.Valid.class);
    String wrong = key.proof("GET", "https://server.example.com/r", Optional.of("other"), Optional.empty(), clock.instant(), "a2");
    assertThat(reason(verifier.check(wrong, "GET", "/r", HOST, Optional.of(token)))).contains("ath");
    String none = key.proof("GET", "https://server.example.com/r", Optional.empty(), Optional.empty(), clock.instant(), "a3");
    assertThat(reason(verifier.check(none, "GET", "/r", HOST, Optional.of(token)))).contains("ath");
  }

  @Test
  void aDemandedNonceMustBeFreshAndIssuedByThisServer() {
    DpopVerifier strict = verifier(DpopConfig.defaults().withRequireNonce(true));
    DpopCheck first = strict.check(proof(key), "POST", "/oauth/token", HOST, Optional.empty());
    assertThat(first).isInstanceOf(DpopCheck.NonceRequired.class);
    String nonce = ((DpopCheck.NonceRequired) first).nonce();
    assertThat(strict.check(key.proof("POST", URL, Optional.empty(), Optional.of(nonce), clock.instant(), "n1"), "POST", "/oauth/token", HOST, Optional.empty()))
        .isInstanceOf(DpopCheck.Valid.class);
    // a nonce of a server with another pepper, and one past its lifetime
    DpopNonces foreign = DpopNonces.create(Pepper.random(random), clock, DpopConfig.defaults());
    assertThat(strict.check(key.proof("POST", URL, Optional.empty(), Optional.of(foreign.issue()), clock.instant(), "n2"), "POST", "/oauth/token", HOST, Optional.empty()))
        .isInstanceOf(DpopCheck.NonceRequired.class);
    clock.advance(Duration.ofMinutes(6));
    assertThat(strict.check(key.proof("POST", URL, Optional.empty(), Optional.of(nonce), clock.instant(), "n3"), "POST", "/oauth/token", HOST, Optional.empty()))
        .isInstanceOf(DpopCheck.NonceRequired.class);
  }

  @Test
  void aFullReplayStoreAnswersUnavailableInsteadOfForgetting() {
    DpopVerifier tiny = DpopVerifier.create(DpopConfig.defaults(), new InMemoryReplayStore(1),
        DpopNonces.create(pepper, clock, DpopConfig.defaults()), clock);
    assertThat(tiny.check(proof(key), "POST", "/oauth/token", HOST, Optional.empty())).isInstanceOf(DpopCheck.Valid.class);
    assertThat(tiny.check(proof(key), "POST", "/oauth/token", HOST, Optional.empty())).isInstanceOf(DpopCheck.Unavailable.class);
  }

  @Test
  void garbageAndOversizedHeadersAreInvalidNotExceptions() {
    assertThat(check("")).isInstanceOf(DpopCheck.Invalid.class);
    assertThat(check("not.a.jwt")).isInstanceOf(DpopCheck.Invalid.class);
    assertThat(check("a".repeat(9000))).isInstanceOf(DpopCheck.Invalid.class);
    assertThat(check(Base64URL.encode("{\"typ\":\"dpop+jwt\",\"alg\":\"EdDSA\",\"jwk\":{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"AA\"}}") + ".e30.AA"))
        .isInstanceOf(DpopCheck.Invalid.class);
  }

  @Test
  void claimsOfTheWrongTypeAreRefused() throws Exception {
    ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
    JWSHeader h = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType(DpopVerifier.TYPE)).jwk(ec.toPublicJWK()).build();
    JWTClaimsSet stringIat = new JWTClaimsSet.Builder(claims()).claim("iat", "1700000000").build();
    assertThat(reason(check(sign(ec, h, stringIat)))).contains("iat");
    JWTClaimsSet noJti = new JWTClaimsSet.Builder(claims()).jwtID(null).build();
    assertThat(reason(check(sign(ec, h, noJti)))).contains("jti");
  }

  JWTClaimsSet claims() {
    return new JWTClaimsSet.Builder().jwtID("j-" + random.nextInt()).claim("htm", "POST").claim("htu", URL)
        .issueTime(Date.from(clock.instant())).build();
  }

  static String sign(ECKey key, JWSHeader header, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(header, claims);
    jwt.sign(new com.nimbusds.jose.crypto.ECDSASigner(key));
    return jwt.serialize();
  }

  @Test
  void nonceTextIsUrlSafeAndShort() {
    String n = DpopNonces.create(pepper, clock, DpopConfig.defaults()).issue();
    assertThat(n).matches("[A-Za-z0-9_-]{32}");
    assertThat(n.getBytes(StandardCharsets.US_ASCII)).hasSize(32);
  }

  @Test
  void theRfc9449ExampleProofVerifies() {
    // RFC 9449 §4.1 Figure 3 (ES256, made for POST https://server.example.com/token at iat 1562262616)
    String proof = "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6Ik"
        + "VDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCR"
        + "nMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JE"
        + "QSIsImNydiI6IlAtMjU2In19.eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIj"
        + "oiUE9TVCIsImh0dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rva2VuIiwia"
        + "WF0IjoxNTYyMjYyNjE2fQ.2-GxA6T8lP4vfrg8v-FdWP0A0zdrj8igiMLvqRMUvwnQg"
        + "4PtFLbdLXiOSsX0x7NVY-FNyJK70nfbV37xRZT3Lg";
    clock.set(Instant.ofEpochSecond(1562262616));
    DpopCheck c = verifier.check(proof, "POST", "/token", HOST, Optional.empty());
    assertThat(c).as(reason(c)).isInstanceOf(DpopCheck.Valid.class);
    assertThat(((DpopCheck.Valid) c).proof().jkt()).isEqualTo("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I");
  }
}
