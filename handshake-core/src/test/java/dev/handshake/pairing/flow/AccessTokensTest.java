package dev.handshake.pairing.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.pairing.ApprovalTarget;
import dev.handshake.pairing.Approver;
import dev.handshake.pairing.PairingConfig;
import dev.handshake.pairing.PairingStore;
import dev.handshake.pairing.PairingStores;
import dev.handshake.pairing.Pepper;
import dev.handshake.pairing.RequestOutcome;
import dev.handshake.pairing.Requester;
import dev.handshake.pairing.auth.AuthRequest;
import dev.handshake.pairing.auth.AuthResult;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Bearer tokens for paired requesters (pairing.md §3.2 rules 8–10, §4 item 19). */
class AccessTokensTest {
  static final Instant T0 = Instant.parse("2026-09-01T10:00:00Z");
  static final Requester ANN = Requester.of("telegram", "123");

  private final MutableClock clock = new MutableClock(T0);
  private final Pepper pepper = Pepper.of(new byte[32]);
  private final PairingStore pairing =
      PairingStores.inMemory(PairingConfig.defaults(), pepper, clock);
  private final AccessTokenStore store = FlowStores.inMemoryTokens();
  private final AccessTokens tokens = AccessTokens.create(pairing, store,
      AccessTokenConfig.defaults(), pepper, clock, new SecureRandom());

  @AfterEach
  void close() {
    pairing.close();
  }

  private void pair(Requester who) {
    RequestOutcome.Created c =
        (RequestOutcome.Created) pairing.request(who, Map.of(), Optional.empty());
    pairing.approve(ApprovalTarget.code(c.code()), Approver.named("cli:owner"));
  }

  private IssuedToken issued(Requester who) {
    return tokens.issue(who, Set.of("read")).orElseThrow();
  }

  @Test
  void aRequesterWithoutAnActiveGrantGetsNoToken() {
    assertThat(tokens.issue(ANN, Set.of("read"))).isEmpty();

    pair(ANN);
    pairing.revoke(ANN, "cli:owner");

    assertThat(tokens.issue(ANN, Set.of("read"))).isEmpty();
  }

  @Test
  void anIssuedTokenVerifiesAsItsPrincipalUntilItExpires() {
    pair(ANN);
    IssuedToken t = issued(ANN);

    assertThat(tokens.verify(t.token().reveal()))
        .contains(new PairedPrincipal(ANN, Set.of("read"), T0.plus(Duration.ofHours(1))));

    clock.advance(Duration.ofHours(1).minusMillis(1));
    assertThat(tokens.verify(t.token().reveal())).as("a millisecond before expiry").isPresent();
    clock.advance(Duration.ofMillis(1));
    assertThat(tokens.verify(t.token().reveal())).as("at expiry").isEmpty();
  }

  @Test
  void theLifetimeIsConfigurableWithinItsBound() {
    pair(ANN);

    IssuedToken t = tokens.issue(ANN, Set.of(), Duration.ofMinutes(10)).orElseThrow();

    assertThat(t.principal().expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
    assertThatThrownBy(() -> tokens.issue(ANN, Set.of(), Duration.ofDays(2)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tokens.issue(ANN, Set.of(), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("item 19: revoking the grant kills the token at once")
  void item19_revokingTheGrantKillsTheToken() {
    pair(ANN);
    IssuedToken t = issued(ANN);

    pairing.revoke(ANN, "cli:owner");

    assertThat(tokens.verify(t.token().reveal())).isEmpty();
  }

  @Test
  @DisplayName("item 19: approving the requester again does not revive tokens of the old grant")
  void item19_reapprovalDoesNotReviveOldTokens() {
    pair(ANN);
    IssuedToken old = issued(ANN);
    pairing.revoke(ANN, "cli:owner");
    clock.advance(Duration.ofSeconds(1));
    pair(ANN);

    assertThat(tokens.verify(old.token().reveal())).isEmpty();
    assertThat(tokens.verify(issued(ANN).token().reveal())).as("a new token works").isPresent();
  }

  @Test
  void revokeByRequesterKillsAllItsTokensAndNoOneElses() {
    Requester bob = Requester.of("telegram", "456");
    pair(ANN);
    pair(bob);
    IssuedToken a1 = issued(ANN);
    IssuedToken a2 = issued(ANN);
    IssuedToken b = issued(bob);

    assertThat(tokens.revoke(ANN)).isEqualTo(2);

    assertThat(tokens.verify(a1.token().reveal())).isEmpty();
    assertThat(tokens.verify(a2.token().reveal())).isEmpty();
    assertThat(tokens.verify(b.token().reveal())).isPresent();
  }

  @Test
  void onlyTheHmacOfATokenIsStored() {
    pair(ANN);
    IssuedToken t = issued(ANN);

    String hmac = pepper.derive("access-token").hash(t.token().reveal());
    assertThat(store.find(hmac)).isPresent();
    assertThat(store.find(t.token().reveal())).isEmpty();
    assertThat(t.toString()).doesNotContain(t.token().reveal());
  }

  @Test
  void aTokenUnderAnotherPepperIsUnknown() {
    pair(ANN);
    IssuedToken t = issued(ANN);
    AccessTokens otherServer = AccessTokens.create(pairing, store, AccessTokenConfig.defaults(),
        Pepper.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
            21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}), clock, new SecureRandom());

    assertThat(otherServer.verify(t.token().reveal())).isEmpty();
  }

  @Test
  void garbageIsNotATokenAndNeverThrows() {
    pair(ANN);
    issued(ANN);

    assertThat(tokens.verify("")).isEmpty();
    assertThat(tokens.verify("not a token")).isEmpty();
    assertThat(tokens.verify("\u0000\n\u202e")).isEmpty();
    assertThat(tokens.verify("x".repeat(100_000))).isEmpty();
  }

  @Test
  void aRequesterKeepsAtMostTheConfiguredNumberOfTokens() {
    AccessTokens two = AccessTokens.create(pairing, store,
        new AccessTokenConfig(Duration.ofHours(1), Duration.ofHours(1), 2), pepper, clock,
        new SecureRandom());
    pair(ANN);
    IssuedToken first = two.issue(ANN, Set.of()).orElseThrow();
    clock.advance(Duration.ofSeconds(1));
    IssuedToken second = two.issue(ANN, Set.of()).orElseThrow();
    clock.advance(Duration.ofSeconds(1));
    IssuedToken third = two.issue(ANN, Set.of()).orElseThrow();

    assertThat(two.verify(first.token().reveal())).as("the oldest went").isEmpty();
    assertThat(two.verify(second.token().reveal())).isPresent();
    assertThat(two.verify(third.token().reveal())).isPresent();
  }

  private static AuthRequest request(Optional<String> authorization, Optional<String> query) {
    return new AuthRequest(
        name -> name.equals("Authorization") ? authorization : Optional.empty(), query, "192.0.2.1");
  }

  @Test
  void asAnAuthProtocolItAuthenticatesTheHeaderTokenOnly() {
    pair(ANN);
    String token = issued(ANN).token().reveal();

    AuthResult ok = tokens.check(request(Optional.of("Bearer " + token), Optional.empty()));
    assertThat(ok).isInstanceOfSatisfying(AuthResult.Authenticated.class, a -> {
      assertThat(a.principal().id()).isEqualTo("telegram:default:123");
      assertThat(a.principal().role()).isEqualTo(PairedPrincipal.PAIRED_ROLE);
      assertThat(a.principal().scopes()).containsExactly("read");
    });
    assertThat(tokens.check(request(Optional.empty(), Optional.empty())))
        .isInstanceOf(AuthResult.NoCredentials.class);
    assertThat(tokens.check(request(Optional.of("Bearer AAAA"), Optional.empty())))
        .isInstanceOf(AuthResult.InvalidToken.class);
    assertThat(tokens.check(request(Optional.empty(), Optional.of("access_token=" + token))))
        .as("a token in the URL is refused").isInstanceOf(AuthResult.InvalidRequest.class);
  }

  @Test
  void sweepForgetsExpiredTokens() {
    pair(ANN);
    issued(ANN);
    clock.advance(Duration.ofHours(2));

    assertThat(tokens.sweep()).isEqualTo(1);
  }
}
