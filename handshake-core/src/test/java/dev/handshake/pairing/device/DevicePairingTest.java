package dev.handshake.pairing.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.crypto.BearerSecret;
import dev.handshake.pairing.Approver;
import dev.handshake.pairing.Pepper;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Connect to paired, end to end, without a transport (pairing.md §2.4, §4 items 12–15). */
class DevicePairingTest {
  private static final Map<String, List<String>> NO_HEADERS = Map.of();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T10:00:00Z"));
  private final Approver owner = Approver.named("cli:owner");
  private DeviceStore store;
  private DevicePairing pairing;

  private void start(DevicePairingConfig config) {
    store = DeviceStores.inMemory(config, Pepper.of(new byte[32]), clock);
    pairing = DevicePairing.create(store,
        InMemoryChallengeStore.create(config, clock, new SecureRandom()), clock);
  }

  DevicePairingTest() {
    start(DevicePairingConfig.defaults());
  }

  @AfterEach
  void close() {
    store.close();
  }

  private ConnectProof proof(TestDevice d, String role, String... scopes) {
    Challenge c = ((ChallengeStore.Issue.Issued) pairing.challenge()).challenge();
    return d.proof(c.nonce(), clock.millis(), role, scopes);
  }

  private ConnectOutcome connect(TestDevice d, String role, String... scopes) {
    return pairing.connect(proof(d, role, scopes), "10.0.0.5", NO_HEADERS);
  }

  private static ConnectOutcome.PairingRequired required(ConnectOutcome o) {
    assertThat(o).as("approval is required").isInstanceOf(ConnectOutcome.PairingRequired.class);
    return (ConnectOutcome.PairingRequired) o;
  }

  private static ConnectOutcome.Paired paired(ConnectOutcome o) {
    assertThat(o).as("the device is paired").isInstanceOf(ConnectOutcome.Paired.class);
    return (ConnectOutcome.Paired) o;
  }

  private BearerSecret pairWithToken(TestDevice d, String role, String... scopes) {
    store.approve(required(connect(d, role, scopes)).requestId(), owner);
    return paired(connect(d, role, scopes)).token().orElseThrow();
  }

  @Test
  void aNewDeviceWaitsForApprovalAndThenGetsItsToken() {
    TestDevice d = TestDevice.create();

    ConnectOutcome.PairingRequired wait = required(connect(d, "operator", "operator.read"));

    assertThat(wait.upgrade()).isFalse();
    assertThat(store.pending()).extracting(DeviceRequest::requestId)
        .containsExactly(wait.requestId());
    store.approve(wait.requestId(), owner);
    ConnectOutcome.Paired ok = paired(connect(d, "operator", "operator.read"));
    assertThat(ok.deviceId()).isEqualTo(d.id());
    assertThat(ok.scopes()).containsExactly("operator.read");
    assertThat(store.checkToken(d.id(), "operator", Optional.of(ok.token().orElseThrow().reveal()),
        Set.of("operator.read"))).isInstanceOf(TokenCheck.Valid.class);
  }

  @Test
  void aRetryBeforeApprovalKeepsTheSameRequestId() {
    TestDevice d = TestDevice.create();
    String first = required(connect(d, "node")).requestId();

    assertThat(required(connect(d, "node")).requestId()).isEqualTo(first);
  }

  @Test
  void aFailedProofIsRefusedWithItsDeviceAuthError() {
    TestDevice d = TestDevice.create();
    ConnectProof p = proof(d, "node");
    ConnectProof noNonce = new ConnectProof(p.deviceId(), p.publicKey(), p.signature(),
        p.signedAtMs(), Optional.empty(), p.clientId(), p.role(), p.scopes(), "",
        Optional.empty(), "", "");

    assertThat(pairing.connect(noNonce, "10.0.0.5", NO_HEADERS))
        .isEqualTo(new ConnectOutcome.Refused(DeviceAuthError.NONCE_REQUIRED));
    assertThat(store.pending()).isEmpty();
  }

  @Test
  @DisplayName("§4 item 12: a replayed connect is refused")
  void item12_aReplayedConnectIsRefused() {
    TestDevice d = TestDevice.create();
    ConnectProof p = proof(d, "node");
    pairing.connect(p, "10.0.0.5", NO_HEADERS);

    assertThat(pairing.connect(p, "10.0.0.5", NO_HEADERS))
        .isEqualTo(new ConnectOutcome.Refused(DeviceAuthError.NONCE_MISMATCH));
  }

  @Test
  @DisplayName("§4 item 13: a reconnect with a live token gets no new token unless it rotates")
  void item13_aReconnectGetsNoNewTokenUnlessItAsksToRotate() {
    TestDevice d = TestDevice.create();
    BearerSecret first = pairWithToken(d, "node");

    assertThat(paired(connect(d, "node")).token()).isEmpty();
    ConnectOutcome rotated = pairing.connect(proof(d, "node"),
        ConnectContext.of("10.0.0.5", NO_HEADERS).rotatingToken());

    BearerSecret second = paired(rotated).token().orElseThrow();
    assertThat(store.checkToken(d.id(), "node", Optional.of(first.reveal()), Set.of()))
        .isEqualTo(new TokenCheck.Failed(TokenCheck.Failure.TOKEN_MISMATCH));
    assertThat(store.checkToken(d.id(), "node", Optional.of(second.reveal()), Set.of()))
        .isInstanceOf(TokenCheck.Valid.class);
  }

  @Test
  @DisplayName("§4 item 13: after a revoke the old token fails and the key holder gets a new one")
  void item13_afterARevokeTheOldTokenFailsAndTheKeyHolderGetsANewOne() {
    TestDevice d = TestDevice.create();
    BearerSecret leaked = pairWithToken(d, "node");
    store.revoke(d.id(), "node", "cli:owner");

    BearerSecret fresh = paired(connect(d, "node")).token().orElseThrow();

    assertThat(store.checkToken(d.id(), "node", Optional.of(leaked.reveal()), Set.of()))
        .isInstanceOf(TokenCheck.Failed.class);
    assertThat(store.checkToken(d.id(), "node", Optional.of(fresh.reveal()), Set.of()))
        .isInstanceOf(TokenCheck.Valid.class);
  }

  @Test
  @DisplayName("§4 item 13: connecting with more scope requires an upgrade and grants nothing")
  void item13_connectingWithMoreScopeRequiresAnUpgradeAndGrantsNothing() {
    TestDevice d = TestDevice.create();
    BearerSecret token = pairWithToken(d, "operator", "operator.read");

    ConnectOutcome.PairingRequired upgrade =
        required(connect(d, "operator", "operator.read", "operator.admin"));

    assertThat(upgrade.upgrade()).isTrue();
    assertThat(store.device(d.id()).orElseThrow().approvedScopes())
        .containsExactly("operator.read");
    assertThat(store.checkToken(d.id(), "operator", Optional.of(token.reveal()),
        Set.of("operator.admin")))
        .isEqualTo(new TokenCheck.Failed(TokenCheck.Failure.SCOPE_MISMATCH));
    assertThat(paired(connect(d, "operator", "operator.read")).token())
        .as("what was approved still works").isEmpty();
    store.approve(upgrade.requestId(), owner);
    assertThat(paired(connect(d, "operator", "operator.admin")).scopes())
        .containsExactly("operator.admin");
  }

  private SetupCode setupCode() {
    BootstrapIssue.Issued issued = (BootstrapIssue.Issued) store.issueBootstrap("cli:owner");
    return SetupCode.of("wss://gw.example", List.of(), issued.secret());
  }

  private ConnectOutcome connectWithSetupCode(TestDevice d, SetupCode code, String role) {
    SetupCode scanned = SetupCode.parse(code.reveal()).orElseThrow();
    return pairing.connect(proof(d, role), ConnectContext.of("10.0.0.7", NO_HEADERS)
        .withBootstrapToken(scanned.revealBootstrapToken()));
  }

  @Test
  @DisplayName("§4 item 14: a setup code pairs the first device as node, once")
  void item14_aSetupCodePairsTheFirstDeviceAsNodeOnce() {
    SetupCode code = setupCode();
    TestDevice phone = TestDevice.create();
    TestDevice other = TestDevice.create();

    ConnectOutcome.Paired ok = paired(connectWithSetupCode(phone, code, "node"));

    assertThat(ok.role()).isEqualTo("node");
    assertThat(ok.token()).isPresent();
    assertThat(store.device(phone.id()).orElseThrow().approvedScopes()).isEmpty();
    assertThat(connectWithSetupCode(other, code, "node"))
        .isEqualTo(new ConnectOutcome.Refused(PairingRefusal.BOOTSTRAP_TOKEN_INVALID));
    assertThat(connectWithSetupCode(phone, code, "node"))
        .as("used once already")
        .isEqualTo(new ConnectOutcome.Refused(PairingRefusal.BOOTSTRAP_TOKEN_INVALID));
    assertThat(store.device(other.id())).isEmpty();
  }

  @Test
  @DisplayName("§4 item 14: a setup code is refused after 10 minutes")
  void item14_aSetupCodeIsRefusedAfterTenMinutes() {
    SetupCode code = setupCode();
    clock.advance(Duration.ofMinutes(10));

    assertThat(connectWithSetupCode(TestDevice.create(), code, "node"))
        .isEqualTo(new ConnectOutcome.Refused(PairingRefusal.BOOTSTRAP_TOKEN_INVALID));
  }

  @Test
  @DisplayName("§4 item 14: a setup code grants node only; more is an upgrade request")
  void item14_aSetupCodeGrantsNodeOnlyAndMoreIsAnUpgradeRequest() {
    TestDevice d = TestDevice.create();

    ConnectOutcome.PairingRequired upgrade =
        required(connectWithSetupCode(d, setupCode(), "operator"));

    assertThat(upgrade.upgrade()).isTrue();
    assertThat(store.device(d.id()).orElseThrow().approvedRoles()).containsExactly("node");
  }

  private ConnectOutcome connectFrom(TestDevice d, String peer, Map<String, List<String>> headers,
      String role, String... scopes) {
    return pairing.connect(proof(d, role, scopes), peer, headers);
  }

  @Test
  @DisplayName("§4 item 15: a direct loopback node is approved automatically when enabled")
  void item15_aDirectLoopbackNodeIsApprovedAutomaticallyWhenEnabled() {
    start(DevicePairingConfig.defaults().autoApproveLoopback(true));
    TestDevice d = TestDevice.create();

    ConnectOutcome.Paired ok = paired(connectFrom(d, "127.0.0.1", NO_HEADERS, "node"));

    assertThat(ok.token()).isPresent();
    assertThat(store.device(d.id()).orElseThrow().approvedBy()).isEqualTo("system:loopback");
  }

  @Test
  @DisplayName("§4 item 15: no auto-approval behind a proxy, when disabled, or beyond bare node")
  void item15_noAutoApprovalBehindAProxyWhenDisabledOrBeyondBareNode() {
    TestDevice d = TestDevice.create();
    required(connectFrom(d, "127.0.0.1", NO_HEADERS, "node"));
    start(DevicePairingConfig.defaults().autoApproveLoopback(true));

    required(connectFrom(TestDevice.create(), "127.0.0.1",
        Map.of("X-Forwarded-For", List.of("203.0.113.9")), "node"));
    required(connectFrom(TestDevice.create(), "127.0.0.1",
        Map.of("x-real-ip", List.of("203.0.113.9")), "node"));
    required(connectFrom(TestDevice.create(), "10.0.0.5", NO_HEADERS, "node"));
    required(connectFrom(TestDevice.create(), "127.0.0.1", NO_HEADERS, "operator"));
    required(connectFrom(TestDevice.create(), "127.0.0.1", NO_HEADERS, "node", "x.y"));
    TestDevice paired = TestDevice.create();
    paired(connectFrom(paired, "127.0.0.1", NO_HEADERS, "node"));
    assertThat(required(connectFrom(paired, "127.0.0.1", NO_HEADERS, "operator")).upgrade())
        .isTrue();
    assertThat(store.devices()).extracting(PairedDevice::deviceId).containsExactly(paired.id());
  }
}
