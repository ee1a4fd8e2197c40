package dev.handshake.pairing.flow;

import dev.handshake.crypto.BearerSecret;
import dev.handshake.pairing.Grant;
import dev.handshake.pairing.PairingStore;
import dev.handshake.pairing.Pepper;
import dev.handshake.pairing.Requester;
import dev.handshake.pairing.auth.AuthProtocol;
import dev.handshake.pairing.auth.AuthRequest;
import dev.handshake.pairing.auth.AuthResult;
import dev.handshake.pairing.auth.BearerCredentials;
import dev.handshake.pairing.dpop.DpopCheck;
import dev.handshake.pairing.dpop.DpopVerifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Bearer tokens for paired requesters (RFC 6750; pairing.md §3.2 rules 8–10): 32 random bytes,
 * shown once, stored only as an HMAC under {@code pepper.derive("access-token")}. A token is
 * valid while it is unexpired <em>and</em> the grant it was issued under is still the
 * requester's active grant in the {@link PairingStore}: revoking the grant kills its tokens at
 * once, and approving the same requester again later does not bring old tokens back.
 *
 * <p>As an {@link AuthProtocol} it reads {@code Authorization: Bearer} and answers with {@link
 * PairedPrincipal#asAuthPrincipal()}, so the server can chain it after operator tokens ({@code
 * AuthProtocol.firstOf(operatorTokens, accessTokens)}).
 *
 * <pre>{@code
 * AccessTokens tokens = AccessTokens.create(pairing, SqliteStores.tokens(dataDir),
 *     AccessTokenConfig.defaults(), pepper, clock, new SecureRandom());
 * Optional<PairedPrincipal> who = tokens.verify(bearerFromHeader);
 * }</pre>
 */
public final class AccessTokens implements AuthProtocol {
  /** Random bytes in a token. */
  public static final int TOKEN_BYTES = 32;
  /** Longest presented token looked at; longer ones are simply not valid. */
  public static final int MAX_PRESENTED = 512;

  private final PairingStore pairing;
  private final AccessTokenStore store;
  private final AccessTokenConfig config;
  private final Pepper pepper;
  private final Clock clock;
  private final SecureRandom random;
  private final Optional<DpopVerifier> dpop;

  private AccessTokens(PairingStore pairing, AccessTokenStore store, AccessTokenConfig config,
      Pepper pepper, Clock clock, SecureRandom random, Optional<DpopVerifier> dpop) {
    this.pairing = pairing;
    this.store = store;
    this.config = config;
    this.pepper = pepper.derive("access-token");
    this.clock = Clock.tick(clock, Duration.ofMillis(1));
    this.random = random;
    this.dpop = dpop;
  }

  /** Tokens without DPoP: {@code Authorization: DPoP} is refused as an unknown scheme. */
  public static AccessTokens create(PairingStore pairing, AccessTokenStore store,
      AccessTokenConfig config, Pepper pepper, Clock clock, SecureRandom random) {
    return new AccessTokens(pairing, store, config, pepper, clock, random, Optional.empty());
  }

  /**
   * Tokens that may be bound to DPoP keys (RFC 9449): a bound token is accepted only as {@code
   * Authorization: DPoP <token>} with a {@code DPoP} proof that {@code dpop} accepts, made with
   * the bound key, for this request's method and URI, and hashing this token in {@code ath}.
   */
  public static AccessTokens create(PairingStore pairing, AccessTokenStore store,
      AccessTokenConfig config, Pepper pepper, Clock clock, SecureRandom random,
      DpopVerifier dpop) {
    return new AccessTokens(pairing, store, config, pepper, clock, random, Optional.of(dpop));
  }

  /** The DPoP verifier, when DPoP-bound tokens are served. */
  public Optional<DpopVerifier> dpop() {
    return dpop;
  }

  public AccessTokenConfig config() {
    return config;
  }

  /** A token of the default lifetime; empty when {@code requester} holds no active grant. */
  public Optional<IssuedToken> issue(Requester requester, Set<String> scopes) {
    return issue(requester, scopes, config.defaultLifetime());
  }

  /**
   * A token living {@code lifetime}; empty when {@code requester} holds no active grant. When the
   * requester already holds {@link AccessTokenConfig#maxPerRequester()} tokens, the oldest goes.
   *
   * @throws IllegalArgumentException when {@code lifetime} is not positive or exceeds {@link
   *     AccessTokenConfig#maxLifetime()}, or a scope is not an RFC 6749 scope token
   */
  public Optional<IssuedToken> issue(Requester requester, Set<String> scopes, Duration lifetime) {
    return issue(requester, scopes, lifetime, Optional.empty());
  }

  /**
   * {@link #issue(Requester, Set, Duration)} bound to a DPoP key when {@code jkt} is present: the
   * token is then accepted only as {@code Authorization: DPoP} with a proof made with that key.
   */
  public Optional<IssuedToken> issue(Requester requester, Set<String> scopes, Duration lifetime,
      Optional<String> jkt) {
    if (lifetime.isNegative() || lifetime.isZero()
        || lifetime.compareTo(config.maxLifetime()) > 0) {
      throw new IllegalArgumentException("token lifetime must lie in (0, " + config.maxLifetime()
          + "], got " + lifetime);
    }
    scopes.forEach(s -> {
      if (!Scopes.validToken(s)) {
        throw new IllegalArgumentException("not a scope token: " + s);
      }
    });
    Optional<Grant> grant = pairing.grant(requester).filter(Grant::active);
    if (grant.isEmpty()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    BearerSecret token = BearerSecret.generate(random, TOKEN_BYTES);
    TokenRecord row = new TokenRecord(hash(token.reveal()), requester, scopes, now,
        now.plus(lifetime), grantRef(grant.get()), jkt);
    store.insert(row, config.maxPerRequester());
    return Optional.of(new IssuedToken(token, principal(row)));
  }

  /**
   * Who {@code presented} speaks for: empty when it is unknown, expired, or its grant was revoked
   * or replaced. Never throws for bad input.
   */
  public Optional<PairedPrincipal> verify(String presented) {
    return live(presented).filter(r -> r.jkt().isEmpty()).map(AccessTokens::principal);
  }

  /** The stored row of a live token (bound or not); empty when unknown, expired or revoked. */
  private Optional<TokenRecord> live(String presented) {
    if (presented.isEmpty() || presented.length() > MAX_PRESENTED) {
      return Optional.empty();
    }
    String hash = hash(presented);
    Instant now = clock.instant();
    return store.find(hash)
        .filter(r -> MessageDigest.isEqual(r.tokenHash().getBytes(StandardCharsets.US_ASCII),
            hash.getBytes(StandardCharsets.US_ASCII)))
        .filter(r -> now.isBefore(r.expiresAt()))
        .filter(r -> pairing.grant(r.requester()).filter(Grant::active)
            .map(g -> grantRef(g).equals(r.grantRef())).orElse(false));
  }

  /**
   * The caller of an HTTP request: its bearer token verified; a token in the URL query is {@link
   * AuthResult.InvalidRequest} (RFC 6750 §2.3).
   */
  @Override
  public AuthResult check(AuthRequest request) {
    if (dpop.isPresent() && BearerCredentials.scheme(request).filter("dpop"::equals).isPresent()) {
      return checkDpop(request, dpop.get());
    }
    return switch (BearerCredentials.read(request)) {
      case BearerCredentials.Read.Absent a -> AuthResult.NO_CREDENTIALS;
      case BearerCredentials.Read.Malformed m -> new AuthResult.InvalidRequest(m.description());
      case BearerCredentials.Read.Token t -> live(t.value())
          .<AuthResult>map(r -> r.jkt().isPresent()
              // RFC 9449 §7.2: a bound token sent as a bearer token is no token at all
              ? new AuthResult.InvalidToken("this token is bound to a DPoP key: send it as"
                  + " Authorization: DPoP with a DPoP proof")
              : new AuthResult.Authenticated(principal(r).asAuthPrincipal()))
          .orElseGet(() -> new AuthResult.InvalidToken("unknown, expired or revoked token"));
    };
  }

  private AuthResult checkDpop(AuthRequest request, DpopVerifier verifier) {
    BearerCredentials.Read read = BearerCredentials.read(request, "DPoP");
    if (!(read instanceof BearerCredentials.Read.Token t)) {
      return new AuthResult.InvalidRequest(read instanceof BearerCredentials.Read.Malformed m
          ? m.description() : "the Authorization header must be 'DPoP <token>'");
    }
    Optional<TokenRecord> row = live(t.value());
    if (row.isEmpty()) {
      return new AuthResult.InvalidToken("unknown, expired or revoked token");
    }
    if (row.get().jkt().isEmpty()) {
      return new AuthResult.InvalidToken("this token is not bound to a DPoP key: send it as"
          + " Authorization: Bearer");
    }
    Optional<String> proof = request.header(DpopVerifier.HEADER);
    if (proof.isEmpty()) {
      return new AuthResult.ProofRejected(DpopCheck.Invalid.ERROR,
          "a DPoP-bound token needs a DPoP proof header", Optional.empty());
    }
    return switch (verifier.check(proof.get(), request.method(), request.path(),
        request.header("Host"), Optional.of(t.value()))) {
      case DpopCheck.Valid v -> MessageDigest.isEqual(
              v.proof().jkt().getBytes(StandardCharsets.US_ASCII),
              row.get().jkt().get().getBytes(StandardCharsets.US_ASCII))
          ? new AuthResult.Authenticated(principal(row.get()).asAuthPrincipal())
          : new AuthResult.ProofRejected(DpopCheck.Invalid.ERROR,
              "the proof is made with another key than the one the token is bound to",
              Optional.empty());
      case DpopCheck.Invalid i ->
          new AuthResult.ProofRejected(DpopCheck.Invalid.ERROR, i.description(), Optional.empty());
      case DpopCheck.NonceRequired n ->
          new AuthResult.ProofRejected(DpopCheck.NonceRequired.ERROR, n.description(),
              Optional.of(n.nonce()));
      case DpopCheck.Unavailable u ->
          new AuthResult.ProofRejected("temporarily_unavailable", u.description(), Optional.empty());
    };
  }

  /** Revokes every token of {@code requester}; returns how many there were. */
  public int revoke(Requester requester) {
    return store.deleteAll(requester);
  }

  /** Forgets expired tokens; returns how many. */
  public int sweep() {
    return store.forgetExpiredBefore(clock.instant());
  }

  /** The stored form of a token. */
  String hash(String token) {
    return pepper.hash(token);
  }

  private static String grantRef(Grant g) {
    return g.requestId() + "@" + g.approvedAt().toEpochMilli();
  }

  private static PairedPrincipal principal(TokenRecord r) {
    return new PairedPrincipal(r.requester(), r.scopes(), r.expiresAt());
  }

  @Override
  public String toString() {
    return "AccessTokens[" + config + "]";
  }
}
