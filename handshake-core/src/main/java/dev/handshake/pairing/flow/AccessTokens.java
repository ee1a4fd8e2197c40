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
 * AccessTokens tokens = AccessTokens.create(pairing, FlowStores.sqliteTokens(dataDir),
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

  private AccessTokens(PairingStore pairing, AccessTokenStore store, AccessTokenConfig config,
      Pepper pepper, Clock clock, SecureRandom random) {
    this.pairing = pairing;
    this.store = store;
    this.config = config;
    this.pepper = pepper.derive("access-token");
    this.clock = Clock.tick(clock, Duration.ofMillis(1));
    this.random = random;
  }

  public static AccessTokens create(PairingStore pairing, AccessTokenStore store,
      AccessTokenConfig config, Pepper pepper, Clock clock, SecureRandom random) {
    return new AccessTokens(pairing, store, config, pepper, clock, random);
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
        now.plus(lifetime), grantRef(grant.get()));
    store.insert(row, config.maxPerRequester());
    return Optional.of(new IssuedToken(token, principal(row)));
  }

  /**
   * Who {@code presented} speaks for: empty when it is unknown, expired, or its grant was revoked
   * or replaced. Never throws for bad input.
   */
  public Optional<PairedPrincipal> verify(String presented) {
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
            .map(g -> grantRef(g).equals(r.grantRef())).orElse(false))
        .map(AccessTokens::principal);
  }

  /**
   * The caller of an HTTP request: its bearer token verified; a token in the URL query is {@link
   * AuthResult.InvalidRequest} (RFC 6750 §2.3).
   */
  @Override
  public AuthResult check(AuthRequest request) {
    return switch (BearerCredentials.read(request)) {
      case BearerCredentials.Read.Absent a -> AuthResult.NO_CREDENTIALS;
      case BearerCredentials.Read.Malformed m -> new AuthResult.InvalidRequest(m.description());
      case BearerCredentials.Read.Token t -> verify(t.value())
          .<AuthResult>map(p -> new AuthResult.Authenticated(p.asAuthPrincipal()))
          .orElseGet(() -> new AuthResult.InvalidToken("unknown, expired or revoked token"));
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
