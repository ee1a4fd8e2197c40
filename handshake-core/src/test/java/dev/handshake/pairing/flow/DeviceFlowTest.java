package dev.handshake.pairing.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.crypto.Sha256;
import dev.handshake.pairing.ApprovalTarget;
import dev.handshake.pairing.Approver;
import dev.handshake.pairing.PairingCode;
import dev.handshake.pairing.PairingConfig;
import dev.handshake.pairing.PairingRequest;
import dev.handshake.pairing.PairingStore;
import dev.handshake.pairing.PairingStores;
import dev.handshake.pairing.Pepper;
import dev.handshake.pairing.Requester;
import dev.handshake.pairing.Resolution;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The RFC 8628 device flow over the pairing store (pairing.md §4 item 19), in memory. */
class DeviceFlowTest {
  static final Instant T0 = Instant.parse("2026-09-01T10:00:00Z");
  static final URI VERIFY = URI.create("https://gw.example/device");
  static final Approver OWNER = Approver.named("cli:owner");

  private final MutableClock clock = new MutableClock(T0);
  private final Pepper pepper = Pepper.of(new byte[32]);
  private final PairingStore pairing =
      PairingStores.inMemory(PairingConfig.defaults(), pepper, clock);
  private final DeviceFlowStore flows = FlowStores.inMemoryFlows();
  private final AccessTokens tokens = AccessTokens.create(pairing, FlowStores.inMemoryTokens(),
      AccessTokenConfig.defaults(), pepper, clock, new SecureRandom());
  private final DeviceFlow flow = DeviceFlow.create(pairing, flows, tokens,
      DeviceFlowConfig.of(VERIFY), pepper, clock, new SecureRandom());

  @AfterEach
  void close() {
    pairing.close();
  }

  private DeviceAuthorization start() {
    StartOutcome o = flow.start("my-cli", "read write", Optional.of("192.0.2.7"));
    assertThat(o).as("start").isInstanceOf(StartOutcome.Started.class);
    return ((StartOutcome.Started) o).authorization();
  }

  private TokenResponse poll(DeviceAuthorization a) {
    return flow.poll(a.deviceCode().reveal(), "my-cli");
  }

  private static DeviceFlowError error(TokenResponse r) {
    assertThat(r).as("poll answer").isInstanceOf(TokenResponse.Error.class);
    return ((TokenResponse.Error) r).error();
  }

  private Resolution approve(DeviceAuthorization a) {
    return pairing.approve(ApprovalTarget.code(a.userCode()), OWNER);
  }

  @Test
  @DisplayName("item 19: the authorization response has every RFC 8628 field")
  void item19_startReturnsEveryRfc8628Field() {
    DeviceAuthorization a = start();

    byte[] deviceCode = Base64.getUrlDecoder().decode(a.deviceCode().reveal());
    assertThat(deviceCode).as("device_code is 32 random bytes, base64url").hasSize(32);
    assertThat(PairingCode.parse(a.userCode().display(), pairing.config().alphabet()))
        .as("user_code is a pairing code").contains(a.userCode());
    assertThat(a.verificationUri()).isEqualTo(VERIFY);
    assertThat(a.verificationUriComplete())
        .isEqualTo("https://gw.example/device?user_code=" + a.userCode().display());
    assertThat(a.expiresIn()).as("expires_in is the code lifetime").isEqualTo(Duration.ofHours(1));
    assertThat(a.interval()).as("interval defaults to 5 s").isEqualTo(Duration.ofSeconds(5));
    assertThat(a.toString()).as("printing the response prints neither code")
        .doesNotContain(a.deviceCode().reveal()).doesNotContain(a.userCode().reveal());
  }

  @Test
  @DisplayName("item 19: a flow is an ordinary pending pairing request of its own requester")
  void item19_theFlowIsAPendingPairingRequest() {
    DeviceAuthorization a = start();

    Requester expected = new Requester(DeviceFlow.CHANNEL_TYPE, "my-cli",
        "flow-" + Sha256.hex(a.deviceCode().reveal()).substring(0, 16));
    assertThat(pairing.pending(Optional.empty())).singleElement().satisfies(r -> {
      assertThat(r.requestId()).isEqualTo(a.requestId());
      assertThat(r.requester()).isEqualTo(expected);
      assertThat(r.displayMeta()).containsEntry("kind", "device").containsEntry("scope", "read write")
          .containsEntry("address", "192.0.2.7");
    });
  }

  @Test
  @DisplayName("item 19: a complete URI keeps an existing query")
  void item19_completeUriKeepsAnExistingQuery() {
    DeviceFlow withQuery = DeviceFlow.create(pairing, flows, tokens,
        DeviceFlowConfig.of(URI.create("https://gw.example/pair?lang=en")), pepper, clock,
        new SecureRandom());
    StartOutcome o = withQuery.start("my-cli", "", Optional.empty());

    DeviceAuthorization a = ((StartOutcome.Started) o).authorization();
    assertThat(a.verificationUriComplete())
        .isEqualTo("https://gw.example/pair?lang=en&user_code=" + a.userCode().display());
  }

  @Test
  @DisplayName("item 19: the device code is stored only as its HMAC")
  void item19_deviceCodeIsStoredOnlyHashed() {
    DeviceAuthorization a = start();

    String hash = pepper.derive("device-code").hash(a.deviceCode().reveal());
    assertThat(flows.find(hash)).as("found by its HMAC").isPresent();
    assertThat(flows.find(hash).orElseThrow().toString()).doesNotContain(a.deviceCode().reveal());
    assertThat(flows.find(a.deviceCode().reveal())).as("not by the code itself").isEmpty();
  }

  @Test
  @DisplayName("item 19: pending polls return authorization_pending")
  void item19_pendingPollsReturnAuthorizationPending() {
    DeviceAuthorization a = start();

    assertThat(error(poll(a))).isEqualTo(DeviceFlowError.AUTHORIZATION_PENDING);
    clock.advance(Duration.ofSeconds(5));
    assertThat(error(poll(a))).isEqualTo(DeviceFlowError.AUTHORIZATION_PENDING);
  }

  @Test
  @DisplayName("item 19: polling too fast returns slow_down and the interval grows by 5 s for good")
  void item19_pollingTooFastReturnsSlowDownAndGrowsTheInterval() {
    DeviceAuthorization a = start();
    poll(a);

    clock.advance(Duration.ofSeconds(1));
    TokenResponse fast = poll(a);
    assertThat(fast).isEqualTo(new TokenResponse.Error(DeviceFlowError.SLOW_DOWN, Duration.ofSeconds(10)));

    clock.advance(Duration.ofSeconds(6));
    assertThat(poll(a)).as("6 s is under the grown 10 s interval: grows again")
        .isEqualTo(new TokenResponse.Error(DeviceFlowError.SLOW_DOWN, Duration.ofSeconds(15)));

    clock.advance(Duration.ofSeconds(15));
    assertThat(poll(a)).as("waiting the grown interval is not slow_down, and it stays grown")
        .isEqualTo(new TokenResponse.Error(DeviceFlowError.AUTHORIZATION_PENDING,
            Duration.ofSeconds(15)));

    clock.advance(Duration.ofSeconds(10));
    assertThat(error(poll(a))).as("10 s is now too fast").isEqualTo(DeviceFlowError.SLOW_DOWN);
  }

  @Test
  @DisplayName("item 19: slow_down growth stops at maxInterval")
  void item19_slowDownGrowthIsBounded() {
    DeviceFlow bounded = DeviceFlow.create(pairing, flows, tokens,
        DeviceFlowConfig.of(VERIFY).interval(Duration.ofSeconds(5), Duration.ofSeconds(12)),
        pepper, clock, new SecureRandom());
    DeviceAuthorization a =
        ((StartOutcome.Started) bounded.start("my-cli", "", Optional.empty())).authorization();
    bounded.poll(a.deviceCode().reveal());

    bounded.poll(a.deviceCode().reveal());
    TokenResponse third = bounded.poll(a.deviceCode().reveal());

    assertThat(third).isEqualTo(new TokenResponse.Error(DeviceFlowError.SLOW_DOWN, Duration.ofSeconds(12)));
  }

  @Test
  @DisplayName("item 19: approving the code issues a bearer token, exactly once")
  void item19_approvalIssuesABearerTokenExactlyOnce() {
    DeviceAuthorization a = start();
    poll(a);
    assertThat(approve(a)).isInstanceOf(Resolution.Approved.class);

    clock.advance(Duration.ofSeconds(5));
    TokenResponse first = poll(a);

    assertThat(first).isInstanceOfSatisfying(TokenResponse.TokenIssued.class, t -> {
      assertThat(t.tokenType()).isEqualTo("Bearer");
      assertThat(t.expiresIn()).isEqualTo(Duration.ofHours(1));
      assertThat(t.scope()).containsExactlyInAnyOrder("read", "write");
      assertThat(t.scopeText()).isEqualTo("read write");
      assertThat(t.toString()).doesNotContain(t.accessToken().reveal());
    });
    clock.advance(Duration.ofSeconds(5));
    assertThat(error(poll(a))).as("a second poll after issuance").isEqualTo(DeviceFlowError.INVALID_GRANT);
    clock.advance(Duration.ofSeconds(30));
    assertThat(error(poll(a))).as("and every later one").isEqualTo(DeviceFlowError.INVALID_GRANT);
  }

  @Test
  @DisplayName("item 19: approval by request id (the CLI's list-and-approve) is consent too")
  void item19_approvalByRequestIdIssuesAToken() {
    DeviceAuthorization a = start();
    pairing.approve(new ApprovalTarget.ById(a.requestId()), OWNER);

    assertThat(poll(a)).isInstanceOf(TokenResponse.TokenIssued.class);
  }

  @Test
  @DisplayName("item 19: the issued token verifies as the paired requester with the asked scopes")
  void item19_theIssuedTokenVerifiesAsThePairedRequester() {
    DeviceAuthorization a = start();
    approve(a);
    TokenResponse.TokenIssued t = (TokenResponse.TokenIssued) poll(a);

    Optional<PairedPrincipal> who = tokens.verify(t.accessToken().reveal());

    PairingRequest request = pairing.find(a.requestId()).orElseThrow();
    assertThat(who).hasValueSatisfying(p -> {
      assertThat(p.requester()).isEqualTo(request.requester());
      assertThat(p.scopes()).containsExactlyInAnyOrder("read", "write");
      assertThat(p.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
    });
  }

  @Test
  @DisplayName("item 19: revoking the grant kills the issued token at once")
  void item19_revokingTheGrantKillsTheToken() {
    DeviceAuthorization a = start();
    approve(a);
    TokenResponse.TokenIssued t = (TokenResponse.TokenIssued) poll(a);
    Requester requester = pairing.find(a.requestId()).orElseThrow().requester();
    assertThat(tokens.verify(t.accessToken().reveal())).isPresent();

    pairing.revoke(requester, "cli:owner");

    assertThat(tokens.verify(t.accessToken().reveal())).isEmpty();
  }

  @Test
  @DisplayName("item 19: a grant revoked before the poll means access_denied, not a token")
  void item19_aGrantRevokedBeforeThePollIsAccessDenied() {
    DeviceAuthorization a = start();
    approve(a);
    pairing.revoke(pairing.find(a.requestId()).orElseThrow().requester(), "cli:owner");

    assertThat(error(poll(a))).isEqualTo(DeviceFlowError.ACCESS_DENIED);
  }

  @Test
  @DisplayName("item 19: denial returns access_denied")
  void item19_denialReturnsAccessDenied() {
    DeviceAuthorization a = start();
    pairing.deny(ApprovalTarget.code(a.userCode()), OWNER);

    assertThat(error(poll(a))).isEqualTo(DeviceFlowError.ACCESS_DENIED);
    assertThat(DeviceFlowError.ACCESS_DENIED.keepPolling()).isFalse();
  }

  @Test
  @DisplayName("item 19: expiry returns expired_token")
  void item19_expiryReturnsExpiredToken() {
    DeviceAuthorization a = start();
    clock.advance(a.expiresIn());

    assertThat(error(poll(a))).isEqualTo(DeviceFlowError.EXPIRED_TOKEN);
    assertThat(approve(a)).as("the owner cannot approve it either")
        .isInstanceOf(Resolution.Failed.class);
  }

  @Test
  @DisplayName("item 19: a request expired by wrong guesses returns expired_token")
  void item19_guessExpiredRequestReturnsExpiredToken() {
    DeviceAuthorization a = start();
    PairingCode wrong = PairingCode.parse(
        a.userCode().reveal().startsWith("A") ? "BBBBBBBB" : "AAAAAAAA",
        pairing.config().alphabet()).orElseThrow();
    for (int i = 0; i < pairing.config().maxWrongGuesses(); i++) {
      pairing.approve(new ApprovalTarget.ByIdAndCode(a.requestId(), wrong),
          Approver.named("guesser-" + i));
    }

    assertThat(error(poll(a))).isEqualTo(DeviceFlowError.EXPIRED_TOKEN);
  }

  @Test
  @DisplayName("item 19: a superseded request returns expired_token")
  void item19_supersededRequestReturnsExpiredToken() {
    DeviceAuthorization a = start();
    Requester requester = pairing.find(a.requestId()).orElseThrow().requester();
    pairing.renew(requester, Map.of(), Optional.empty());

    assertThat(error(poll(a))).isEqualTo(DeviceFlowError.EXPIRED_TOKEN);
  }

  @Test
  @DisplayName("item 19: an unknown device code returns invalid_grant; an empty one invalid_request")
  void item19_unknownDeviceCodeReturnsInvalidGrant() {
    start();

    assertThat(error(flow.poll("not-a-device-code"))).isEqualTo(DeviceFlowError.INVALID_GRANT);
    assertThat(error(flow.poll("x".repeat(10_000)))).isEqualTo(DeviceFlowError.INVALID_GRANT);
    assertThat(error(flow.poll(""))).isEqualTo(DeviceFlowError.INVALID_REQUEST);
  }

  @Test
  @DisplayName("item 19: another client's device code returns invalid_grant")
  void item19_anotherClientsDeviceCodeIsInvalidGrant() {
    DeviceAuthorization a = start();
    approve(a);

    assertThat(error(flow.poll(a.deviceCode().reveal(), "other-cli")))
        .isEqualTo(DeviceFlowError.INVALID_GRANT);
    assertThat(poll(a)).as("the right client still gets its token")
        .isInstanceOf(TokenResponse.TokenIssued.class);
  }

  @Test
  @DisplayName("item 19: an expired flow polls as expired_token until it is forgotten")
  void item19_expiredFlowIsForgottenAfterRetention() {
    DeviceAuthorization a = start();
    clock.advance(a.expiresIn().plus(Duration.ofHours(2)));
    assertThat(flow.sweep()).isZero();
    assertThat(error(poll(a))).isEqualTo(DeviceFlowError.EXPIRED_TOKEN);

    clock.advance(Duration.ofDays(1));
    assertThat(flow.sweep()).isEqualTo(1);

    assertThat(error(poll(a))).isEqualTo(DeviceFlowError.INVALID_GRANT);
  }

  @Test
  @DisplayName("item 19: a full client account refuses with temporarily_unavailable")
  void item19_fullPendingCapIsTemporarilyUnavailable() {
    for (int i = 0; i < pairing.config().pendingPerAccount(); i++) {
      start();
    }

    StartOutcome o = flow.start("my-cli", "", Optional.of("192.0.2.7"));

    assertThat(o).isInstanceOfSatisfying(StartOutcome.Refused.class,
        r -> assertThat(r.error()).isEqualTo(DeviceFlowError.TEMPORARILY_UNAVAILABLE));
  }

  @Test
  @DisplayName("item 19: too many starts from one address refuse with slow_down and a retry time")
  void item19_throttledStartIsSlowDown() {
    PairingStore strict = PairingStores.inMemory(
        PairingConfig.defaults().creates(3, Duration.ofHours(1), 2), pepper, clock);
    DeviceFlow f = DeviceFlow.create(strict, flows, tokens, DeviceFlowConfig.of(VERIFY), pepper,
        clock, new SecureRandom());
    f.start("a", "", Optional.of("198.51.100.1"));
    f.start("b", "", Optional.of("198.51.100.1"));

    StartOutcome third = f.start("c", "", Optional.of("198.51.100.1"));

    assertThat(third).isInstanceOfSatisfying(StartOutcome.Refused.class, r -> {
      assertThat(r.error()).isEqualTo(DeviceFlowError.SLOW_DOWN);
      assertThat(r.retryAfter()).isPositive();
    });
    assertThat(f.start("c", "", Optional.of("198.51.100.2")))
        .as("another address is not throttled").isInstanceOf(StartOutcome.Started.class);
  }

  @Test
  @DisplayName("item 19: bad client ids and scopes are error values, not exceptions")
  void item19_badInputIsAnErrorValue() {
    assertThat(refusal(flow.start("", "", Optional.empty()))).isEqualTo(DeviceFlowError.INVALID_REQUEST);
    assertThat(refusal(flow.start("a b", "", Optional.empty()))).isEqualTo(DeviceFlowError.INVALID_REQUEST);
    assertThat(refusal(flow.start("x".repeat(129), "", Optional.empty())))
        .isEqualTo(DeviceFlowError.INVALID_REQUEST);
    assertThat(refusal(flow.start("cli\n", "", Optional.empty()))).isEqualTo(DeviceFlowError.INVALID_REQUEST);
    assertThat(refusal(flow.start("cli", "read \"x\"", Optional.empty())))
        .isEqualTo(DeviceFlowError.INVALID_SCOPE);
    assertThat(refusal(flow.start("cli", "s".repeat(257), Optional.empty())))
        .isEqualTo(DeviceFlowError.INVALID_SCOPE);
    assertThat(pairing.pending(Optional.empty())).as("nothing was requested").isEmpty();
  }

  @Test
  @DisplayName("item 19: scopes outside the allowed set are invalid_scope")
  void item19_scopesOutsideTheAllowedSetAreRefused() {
    DeviceFlow limited = DeviceFlow.create(pairing, flows, tokens,
        DeviceFlowConfig.of(VERIFY).allowedScopes(Set.of("read")), pepper, clock,
        new SecureRandom());

    assertThat(refusal(limited.start("cli", "read admin", Optional.empty())))
        .isEqualTo(DeviceFlowError.INVALID_SCOPE);
    assertThat(limited.start("cli", "read", Optional.empty())).isInstanceOf(StartOutcome.Started.class);
  }

  private static DeviceFlowError refusal(StartOutcome o) {
    assertThat(o).isInstanceOf(StartOutcome.Refused.class);
    return ((StartOutcome.Refused) o).error();
  }

  @Test
  @DisplayName("RFC 9449 §10: a flow started with a DPoP key is redeemed only with that key, its token bound to it")
  void dpop_aFlowStartedWithAKeyNeedsThatKeyAndItsTokenIsBound() {
    String jkt = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";
    StartOutcome o = flow.start("my-cli", "read", Optional.of("192.0.2.7"), Optional.of(jkt));
    DeviceAuthorization a = ((StartOutcome.Started) o).authorization();
    approve(a);
    String code = a.deviceCode().reveal();

    assertThat(error(flow.poll(code, Optional.of("my-cli"), Optional.empty())))
        .isEqualTo(DeviceFlowError.INVALID_DPOP_PROOF);
    assertThat(error(flow.poll(code, Optional.of("my-cli"), Optional.of("another-key-thumbprint"))))
        .isEqualTo(DeviceFlowError.INVALID_DPOP_PROOF);
    // refused polls with the wrong key neither count as polls (no slow_down) nor use up the code
    TokenResponse issued = flow.poll(code, Optional.of("my-cli"), Optional.of(jkt));
    assertThat(issued).isInstanceOfSatisfying(TokenResponse.TokenIssued.class,
        t -> assertThat(t.tokenType()).isEqualTo("DPoP"));
    String token = ((TokenResponse.TokenIssued) issued).accessToken().reveal();
    assertThat(tokens.verify(token)).as("a bound token is no bearer token").isEmpty();
  }

  @Test
  @DisplayName("RFC 9449 §5: a poll with a proof binds the token even when the flow was started without one")
  void dpop_aProofAtTheTokenEndpointAloneBindsTheToken() {
    DeviceAuthorization a = start();
    approve(a);
    TokenResponse issued = flow.poll(a.deviceCode().reveal(), Optional.of("my-cli"), Optional.of("jkt-of-the-poller"));
    assertThat(issued).isInstanceOfSatisfying(TokenResponse.TokenIssued.class,
        t -> assertThat(t.tokenType()).isEqualTo("DPoP"));
  }
}
