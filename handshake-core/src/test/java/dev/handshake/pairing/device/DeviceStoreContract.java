package dev.handshake.pairing.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.crypto.BearerSecret;
import dev.handshake.pairing.Approver;
import dev.handshake.pairing.Pepper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DeviceStore} must do (pairing.md §2.4, §3.2 rule 7, §4 items 10, 13, 14),
 * run against the memory and the SQLite store.
 */
abstract class DeviceStoreContract {
  protected final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T10:00:00Z"));
  protected final Pepper pepper = Pepper.of(new byte[Pepper.SIZE]);
  private final List<DeviceStore> opened = new ArrayList<>();
  protected DeviceStore store;
  protected final Approver owner = Approver.named("cli:owner");

  /** A new, empty store (or, for {@link #reopen}, the same data again). */
  protected abstract DeviceStore create(DevicePairingConfig config) throws IOException;

  protected DeviceStore open(DevicePairingConfig config) throws IOException {
    DeviceStore s = create(config);
    opened.add(s);
    return s;
  }

  @BeforeEach
  void openStore() throws IOException {
    store = open(DevicePairingConfig.defaults());
  }

  @AfterEach
  void closeStores() {
    opened.forEach(DeviceStore::close);
  }

  protected static DeviceRequest requested(AccessOutcome outcome) {
    assertThat(outcome).as("the ask becomes a request").isInstanceOf(AccessOutcome.Requested.class);
    return ((AccessOutcome.Requested) outcome).request();
  }

  protected static AccessOutcome.Kind kind(AccessOutcome outcome) {
    return ((AccessOutcome.Requested) outcome).kind();
  }

  protected PairedDevice pair(TestDevice d, String role, String... scopes) {
    DeviceRequest r = requested(store.requestAccess(d.ask(role, scopes)));
    DeviceResolution res = store.approve(r.requestId(), owner);
    assertThat(res).isInstanceOf(DeviceResolution.Approved.class);
    return ((DeviceResolution.Approved) res).device();
  }

  protected static BearerSecret issued(TokenIssue issue) {
    assertThat(issue).as("a token is issued").isInstanceOf(TokenIssue.Issued.class);
    return ((TokenIssue.Issued) issue).secret();
  }

  protected TokenCheck.Failure failure(TokenCheck check) {
    assertThat(check).as("the token is refused").isInstanceOf(TokenCheck.Failed.class);
    return ((TokenCheck.Failed) check).failure();
  }

  protected static DeviceResolution.Failure failure(DeviceResolution resolution) {
    assertThat(resolution).as("nothing changes").isInstanceOf(DeviceResolution.Failed.class);
    return ((DeviceResolution.Failed) resolution).failure();
  }

  protected List<DeviceEvent.Type> eventTypes() {
    return store.events(0, 1000).stream().map(DeviceEvent::type).toList();
  }

  // ---- requests ----

  @Test
  void aNewDevicesAskBecomesAPendingRequestThatGrantsNothing() {
    TestDevice d = TestDevice.create();

    AccessOutcome outcome = store.requestAccess(d.ask("operator", "operator.read"));

    DeviceRequest r = requested(outcome);
    assertThat(kind(outcome)).isEqualTo(AccessOutcome.Kind.CREATED);
    assertThat(r.requestId()).matches("[0-9a-f-]{36}");
    assertThat(r.deviceId()).isEqualTo(d.id());
    assertThat(r.publicKey()).isEqualTo(d.publicKey());
    assertThat(r.role()).isEqualTo("operator");
    assertThat(r.scopes()).containsExactly("operator.read");
    assertThat(r.displayName()).isEqualTo("Ann's laptop");
    assertThat(r.remoteAddress()).isEqualTo("10.0.0.5");
    assertThat(r.state()).isEqualTo(DeviceRequestState.PENDING);
    assertThat(r.isUpgrade()).isFalse();
    assertThat(r.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
    assertThat(store.pending()).containsExactly(r);
    assertThat(store.device(d.id())).isEmpty();
    assertThat(store.find(r.requestId())).contains(r);
  }

  @Test
  void theSameAskAgainRefreshesTheRequestAndKeepsItsId() {
    TestDevice d = TestDevice.create();
    DeviceRequest first = requested(store.requestAccess(d.ask("node")));
    clock.advance(Duration.ofMinutes(4));

    AccessOutcome again = store.requestAccess(d.ask("node"));

    assertThat(kind(again)).isEqualTo(AccessOutcome.Kind.REFRESHED);
    assertThat(requested(again).requestId()).isEqualTo(first.requestId());
    assertThat(requested(again).expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
    assertThat(store.pending()).hasSize(1);
    assertThat(eventTypes()).containsExactly(DeviceEvent.Type.REQUESTED);
  }

  @Test
  @DisplayName("OpenClaw #97957: a superseded requestId stays resolvable and reports SUPERSEDED")
  void aRetryWithOtherScopesSupersedesAndTheOldIdStaysResolvable() {
    TestDevice d = TestDevice.create();
    DeviceRequest old = requested(store.requestAccess(d.ask("operator", "operator.read")));

    AccessOutcome retry = store.requestAccess(d.ask("operator", "operator.read", "operator.write"));

    DeviceRequest fresh = requested(retry);
    assertThat(kind(retry)).isEqualTo(AccessOutcome.Kind.SUPERSEDED);
    assertThat(((AccessOutcome.Requested) retry).replaced()).contains(old.requestId());
    assertThat(fresh.requestId()).isNotEqualTo(old.requestId());
    DeviceRequest before = store.find(old.requestId()).orElseThrow();
    assertThat(before.state()).isEqualTo(DeviceRequestState.SUPERSEDED);
    assertThat(before.supersededBy()).contains(fresh.requestId());
    DeviceResolution late = store.approve(old.requestId(), owner);
    assertThat(failure(late)).isEqualTo(DeviceResolution.Failure.SUPERSEDED);
    assertThat(((DeviceResolution.Failed) late).request().flatMap(DeviceRequest::supersededBy))
        .contains(fresh.requestId());
    assertThat(store.pending()).extracting(DeviceRequest::requestId)
        .containsExactly(fresh.requestId());
  }

  @Test
  void aRetryWithAnotherRoleSupersedes() {
    TestDevice d = TestDevice.create();
    DeviceRequest old = requested(store.requestAccess(d.ask("node")));

    AccessOutcome retry = store.requestAccess(d.ask("operator"));

    assertThat(kind(retry)).isEqualTo(AccessOutcome.Kind.SUPERSEDED);
    assertThat(store.find(old.requestId()).orElseThrow().state())
        .isEqualTo(DeviceRequestState.SUPERSEDED);
    assertThat(eventTypes()).containsExactly(DeviceEvent.Type.REQUESTED,
        DeviceEvent.Type.SUPERSEDED, DeviceEvent.Type.REQUESTED);
  }

  @Test
  void approvingPairsTheDeviceWithTheRequestsRoleAndScopes() {
    TestDevice d = TestDevice.create();
    DeviceRequest r = requested(store.requestAccess(d.ask("operator", "operator.read")));

    DeviceResolution res = store.approve(r.requestId(), owner);

    assertThat(res).isInstanceOf(DeviceResolution.Approved.class);
    PairedDevice device = store.device(d.id()).orElseThrow();
    assertThat(device.approvedRoles()).containsExactly("operator");
    assertThat(device.approvedScopes()).containsExactly("operator.read");
    assertThat(device.publicKey()).isEqualTo(d.publicKey());
    assertThat(device.approvedBy()).isEqualTo("cli:owner");
    assertThat(store.find(r.requestId()).orElseThrow().state())
        .isEqualTo(DeviceRequestState.APPROVED);
    assertThat(store.pending()).isEmpty();
    assertThat(store.devices()).containsExactly(device);
    assertThat(store.requestAccess(d.ask("operator", "operator.read")))
        .isEqualTo(new AccessOutcome.Covered(device));
  }

  @Test
  void aRequestIsApprovedOnlyOnce() {
    TestDevice d = TestDevice.create();
    DeviceRequest r = requested(store.requestAccess(d.ask("node")));
    store.approve(r.requestId(), owner);

    assertThat(failure(store.approve(r.requestId(), owner)))
        .isEqualTo(DeviceResolution.Failure.ALREADY_APPROVED);
    assertThat(failure(store.reject(r.requestId(), owner)))
        .isEqualTo(DeviceResolution.Failure.ALREADY_APPROVED);
  }

  @Test
  void rejectIsTerminalAndGrantsNothing() {
    TestDevice d = TestDevice.create();
    DeviceRequest r = requested(store.requestAccess(d.ask("node")));

    assertThat(store.reject(r.requestId(), owner)).isInstanceOf(DeviceResolution.Rejected.class);

    assertThat(store.device(d.id())).isEmpty();
    assertThat(failure(store.approve(r.requestId(), owner)))
        .isEqualTo(DeviceResolution.Failure.REJECTED);
    assertThat(store.find(r.requestId()).orElseThrow().resolvedBy()).contains("cli:owner");
  }

  @Test
  void aRequestExpiresAfterItsLifetimeAndCannotBeApproved() {
    TestDevice d = TestDevice.create();
    DeviceRequest r = requested(store.requestAccess(d.ask("node")));
    clock.advance(Duration.ofMinutes(5));

    assertThat(failure(store.approve(r.requestId(), owner)))
        .isEqualTo(DeviceResolution.Failure.EXPIRED);
    assertThat(store.find(r.requestId()).orElseThrow().state())
        .isEqualTo(DeviceRequestState.EXPIRED);
    assertThat(store.pending()).isEmpty();
    assertThat(store.events(0, 10)).last()
        .satisfies(e -> {
          assertThat(e.type()).isEqualTo(DeviceEvent.Type.EXPIRED);
          assertThat(e.actor()).isEqualTo(DeviceEvent.SYSTEM);
        });
  }

  @Test
  void anUnknownRequestIdIsNotFound() {
    assertThat(failure(store.approve("00000000-0000-4000-8000-000000000000", owner)))
        .isEqualTo(DeviceResolution.Failure.NOT_FOUND);
  }

  @Test
  void pendingRequestsAreCappedOverallAndPerAddress() throws IOException {
    DeviceStore capped = open(DevicePairingConfig.defaults().pendingCaps(3, 2));
    requested(capped.requestAccess(TestDevice.create().askFrom("10.0.0.1", "node")));
    requested(capped.requestAccess(TestDevice.create().askFrom("10.0.0.1", "node")));

    assertThat(capped.requestAccess(TestDevice.create().askFrom("10.0.0.1", "node")))
        .isEqualTo(new AccessOutcome.Refused(PairingRefusal.PENDING_FULL));
    requested(capped.requestAccess(TestDevice.create().askFrom("10.0.0.2", "node")));
    assertThat(capped.requestAccess(TestDevice.create().askFrom("10.0.0.3", "node")))
        .isEqualTo(new AccessOutcome.Refused(PairingRefusal.PENDING_FULL));
  }

  @Test
  void aFullStoreStillLetsAPendingDeviceSupersedeItsOwnRequest() throws IOException {
    DeviceStore capped = open(DevicePairingConfig.defaults().pendingCaps(1, 1));
    TestDevice d = TestDevice.create();
    requested(capped.requestAccess(d.ask("node")));

    assertThat(kind(capped.requestAccess(d.ask("operator"))))
        .isEqualTo(AccessOutcome.Kind.SUPERSEDED);
  }

  @Test
  void askingForMoreScopesThanTheLimitIsRefused() {
    String[] many = new String[33];
    for (int i = 0; i < many.length; i++) {
      many[i] = "s" + i;
    }

    assertThat(store.requestAccess(TestDevice.create().ask("operator", many)))
        .isEqualTo(new AccessOutcome.Refused(PairingRefusal.TOO_MANY_SCOPES));
  }

  // ---- upgrades (item 13) ----

  @Test
  @DisplayName("§4 item 13: asking for more scope creates an upgrade request and grants nothing")
  void item13_askingForMoreScopeCreatesAnUpgradeRequestAndGrantsNothing() {
    TestDevice d = TestDevice.create();
    PairedDevice before = pair(d, "operator", "operator.read");
    BearerSecret token = issued(store.issueTokenIfNone(d.id(), "operator", "test"));

    DeviceRequest upgrade =
        requested(store.requestAccess(d.ask("operator", "operator.read", "operator.admin")));

    assertThat(upgrade.isUpgrade()).isTrue();
    assertThat(store.device(d.id())).contains(before);
    assertThat(failure(store.checkToken(d.id(), "operator", Optional.of(token.reveal()),
        Set.of("operator.admin")))).isEqualTo(TokenCheck.Failure.SCOPE_MISMATCH);
    assertThat(store.checkToken(d.id(), "operator", Optional.of(token.reveal()),
        Set.of("operator.read"))).isInstanceOf(TokenCheck.Valid.class);

    store.approve(upgrade.requestId(), owner);

    assertThat(store.device(d.id()).orElseThrow().approvedScopes())
        .containsExactly("operator.admin", "operator.read");
    assertThat(store.checkToken(d.id(), "operator", Optional.of(token.reveal()),
        Set.of("operator.admin"))).isInstanceOf(TokenCheck.Valid.class);
  }

  @Test
  @DisplayName("§4 item 13: asking for another role creates an upgrade request; no token for it")
  void item13_askingForAnotherRoleCreatesAnUpgradeRequestAndNoToken() {
    TestDevice d = TestDevice.create();
    pair(d, "node");

    DeviceRequest upgrade = requested(store.requestAccess(d.ask("operator")));

    assertThat(upgrade.isUpgrade()).isTrue();
    assertThat(store.issueTokenIfNone(d.id(), "operator", "test"))
        .isEqualTo(new TokenIssue.Refused(TokenCheck.Failure.ROLE_NOT_APPROVED));
    store.approve(upgrade.requestId(), owner);
    assertThat(store.device(d.id()).orElseThrow().approvedRoles())
        .containsExactly("node", "operator");
    issued(store.issueTokenIfNone(d.id(), "operator", "test"));
  }

  @Test
  void anAskWithinTheApprovalWritesNothing() {
    TestDevice d = TestDevice.create();
    PairedDevice device = pair(d, "operator", "operator.read", "operator.write");
    int events = store.events(0, 100).size();

    assertThat(store.requestAccess(d.ask("operator", "operator.write")))
        .isEqualTo(new AccessOutcome.Covered(device));
    assertThat(store.events(0, 100)).hasSize(events);
  }

  // ---- tokens (item 13) ----

  @Test
  void aTokenIs32RandomBytesShownOnceAndAfterwardsKept() {
    TestDevice d = TestDevice.create();
    pair(d, "node");

    TokenIssue first = store.issueTokenIfNone(d.id(), "node", "device:x");

    BearerSecret secret = issued(first);
    assertThat(secret.reveal()).matches("[A-Za-z0-9_-]{43}");
    assertThat(secret.toString()).doesNotContain(secret.reveal());
    assertThat(store.issueTokenIfNone(d.id(), "node", "device:x"))
        .isInstanceOf(TokenIssue.Kept.class);
    assertThat(store.checkToken(d.id(), "node", Optional.of(secret.reveal()), Set.of()))
        .isInstanceOf(TokenCheck.Valid.class);
    assertThat(store.tokens(d.id())).singleElement()
        .satisfies(t -> assertThat(t.generation()).isEqualTo(1))
        .satisfies(t -> assertThat(t.lastUsedAt()).contains(clock.instant()));
  }

  @Test
  @DisplayName("§4 item 13: presenting a rotated-out token fails")
  void item13_aRotatedTokenStopsWorking() {
    TestDevice d = TestDevice.create();
    pair(d, "node");
    BearerSecret old = issued(store.issueTokenIfNone(d.id(), "node", "device:x"));

    BearerSecret fresh = issued(store.rotate(d.id(), "node", "cli:owner"));

    assertThat(failure(store.checkToken(d.id(), "node", Optional.of(old.reveal()), Set.of())))
        .isEqualTo(TokenCheck.Failure.TOKEN_MISMATCH);
    assertThat(store.checkToken(d.id(), "node", Optional.of(fresh.reveal()), Set.of()))
        .isInstanceOf(TokenCheck.Valid.class);
    assertThat(store.tokens(d.id()).getFirst().generation()).isEqualTo(2);
    assertThat(eventTypes()).endsWith(DeviceEvent.Type.TOKEN_ISSUED,
        DeviceEvent.Type.TOKEN_ROTATED);
  }

  @Test
  @DisplayName("§4 item 13: presenting a revoked token fails")
  void item13_aRevokedTokenFails() {
    TestDevice d = TestDevice.create();
    pair(d, "node");
    BearerSecret token = issued(store.issueTokenIfNone(d.id(), "node", "device:x"));

    DeviceToken revoked = store.revoke(d.id(), "node", "cli:owner").orElseThrow();

    assertThat(revoked.revokedBy()).contains("cli:owner");
    assertThat(failure(store.checkToken(d.id(), "node", Optional.of(token.reveal()), Set.of())))
        .isEqualTo(TokenCheck.Failure.TOKEN_REVOKED);
    assertThat(store.revoke(d.id(), "node", "cli:owner")).as("nothing live to revoke").isEmpty();
    BearerSecret replacement = issued(store.issueTokenIfNone(d.id(), "node", "device:x"));
    assertThat(failure(store.checkToken(d.id(), "node", Optional.of(token.reveal()), Set.of())))
        .isEqualTo(TokenCheck.Failure.TOKEN_MISMATCH);
    assertThat(store.checkToken(d.id(), "node", Optional.of(replacement.reveal()), Set.of()))
        .isInstanceOf(TokenCheck.Valid.class);
  }

  @Test
  void tokenChecksFailInOpenClawsOrderEachWithItsOwnResult() {
    TestDevice d = TestDevice.create();
    TestDevice stranger = TestDevice.create();
    pair(d, "operator", "operator.read");
    pair(d, "node");
    String token = issued(store.issueTokenIfNone(d.id(), "operator", "t")).reveal();

    assertThat(failure(store.checkToken(stranger.id(), "operator", Optional.of(token), Set.of())))
        .isEqualTo(TokenCheck.Failure.NOT_PAIRED);
    assertThat(failure(store.checkToken(d.id(), "admin", Optional.of(token), Set.of())))
        .isEqualTo(TokenCheck.Failure.ROLE_NOT_APPROVED);
    assertThat(failure(store.checkToken(d.id(), "node", Optional.of(token), Set.of())))
        .as("no token issued for the role").isEqualTo(TokenCheck.Failure.TOKEN_MISSING);
    assertThat(failure(store.checkToken(d.id(), "operator", Optional.empty(), Set.of())))
        .as("nothing presented").isEqualTo(TokenCheck.Failure.TOKEN_MISSING);
    assertThat(failure(store.checkToken(d.id(), "operator", Optional.of(token + "x"), Set.of())))
        .isEqualTo(TokenCheck.Failure.TOKEN_MISMATCH);
    assertThat(failure(store.checkToken(d.id(), "operator", Optional.of(token),
        Set.of("operator.write")))).isEqualTo(TokenCheck.Failure.SCOPE_MISMATCH);
    store.revoke(d.id(), "operator", "t");
    assertThat(failure(store.checkToken(d.id(), "operator", Optional.of(token + "x"), Set.of())))
        .as("revoked is checked before mismatch").isEqualTo(TokenCheck.Failure.TOKEN_REVOKED);
  }

  @Test
  void aTokenOfOneDeviceDoesNotAdmitAnother() {
    TestDevice a = TestDevice.create();
    TestDevice b = TestDevice.create();
    pair(a, "node");
    pair(b, "node");
    String tokenOfA = issued(store.issueTokenIfNone(a.id(), "node", "t")).reveal();
    issued(store.issueTokenIfNone(b.id(), "node", "t"));

    assertThat(failure(store.checkToken(b.id(), "node", Optional.of(tokenOfA), Set.of())))
        .isEqualTo(TokenCheck.Failure.TOKEN_MISMATCH);
  }

  @Test
  void removingADeviceUnpairsItAndDeletesItsTokens() {
    TestDevice d = TestDevice.create();
    pair(d, "node");
    String token = issued(store.issueTokenIfNone(d.id(), "node", "t")).reveal();

    assertThat(store.remove(d.id(), "cli:owner")).isPresent();

    assertThat(store.device(d.id())).isEmpty();
    assertThat(store.tokens(d.id())).isEmpty();
    assertThat(failure(store.checkToken(d.id(), "node", Optional.of(token), Set.of())))
        .isEqualTo(TokenCheck.Failure.NOT_PAIRED);
    assertThat(store.remove(d.id(), "cli:owner")).isEmpty();
    DeviceRequest again = requested(store.requestAccess(d.ask("node")));
    assertThat(again.isUpgrade()).isFalse();
  }

  // ---- bootstrap (item 14) ----

  protected BearerSecret bootstrap(DeviceStore s) {
    BootstrapIssue issue = s.issueBootstrap("cli:owner");
    assertThat(issue).isInstanceOf(BootstrapIssue.Issued.class);
    return ((BootstrapIssue.Issued) issue).secret();
  }

  @Test
  @DisplayName("§4 item 14: a bootstrap token works once and approves role node without scopes")
  void item14_aBootstrapTokenWorksOnceAndApprovesNodeWithoutScopes() {
    TestDevice d = TestDevice.create();
    BearerSecret token = bootstrap(store);

    BootstrapRedemption first = store.redeemBootstrap(token.reveal(), d.ask("operator", "x.y"));

    assertThat(first).isInstanceOf(BootstrapRedemption.Redeemed.class);
    PairedDevice device = store.device(d.id()).orElseThrow();
    assertThat(device.approvedRoles()).containsExactly("node");
    assertThat(device.approvedScopes()).isEmpty();
    assertThat(((BootstrapRedemption.Redeemed) first).token().redeemedBy()).contains(d.id());
    assertThat(store.redeemBootstrap(token.reveal(), d.ask("node")))
        .as("the same key again").isInstanceOf(BootstrapRedemption.Invalid.class);
    assertThat(store.bootstrapTokens()).isEmpty();
  }

  @Test
  @DisplayName("§4 item 14: a second key presenting a redeemed bootstrap token is refused")
  void item14_aSecondKeyIsRefused() {
    BearerSecret token = bootstrap(store);
    TestDevice first = TestDevice.create();
    TestDevice second = TestDevice.create();
    store.redeemBootstrap(token.reveal(), first.ask("node"));

    assertThat(store.redeemBootstrap(token.reveal(), second.ask("node")))
        .isInstanceOf(BootstrapRedemption.Invalid.class);
    assertThat(store.device(second.id())).isEmpty();
  }

  @Test
  @DisplayName("§4 item 14: a bootstrap token works only within 10 minutes")
  void item14_aBootstrapTokenExpiresAfterTenMinutes() {
    BearerSecret early = bootstrap(store);
    BearerSecret late = bootstrap(store);
    clock.advance(Duration.ofMinutes(10).minusMillis(1));
    assertThat(store.redeemBootstrap(early.reveal(), TestDevice.create().ask("node")))
        .isInstanceOf(BootstrapRedemption.Redeemed.class);

    clock.advance(Duration.ofMillis(1));

    assertThat(store.redeemBootstrap(late.reveal(), TestDevice.create().ask("node")))
        .isInstanceOf(BootstrapRedemption.Invalid.class);
  }

  @Test
  @DisplayName("§4 item 14: an unknown bootstrap token is refused")
  void item14_anUnknownBootstrapTokenIsRefused() {
    bootstrap(store);

    assertThat(store.redeemBootstrap("made-up", TestDevice.create().ask("node")))
        .isInstanceOf(BootstrapRedemption.Invalid.class);
    assertThat(store.redeemBootstrap("", TestDevice.create().ask("node")))
        .isInstanceOf(BootstrapRedemption.Invalid.class);
  }

  @Test
  void redeemableBootstrapTokensAreCapped() throws IOException {
    DeviceStore capped = open(DevicePairingConfig.defaults().bootstrap(Duration.ofMinutes(10), 2));
    bootstrap(capped);
    clock.advance(Duration.ofMinutes(1));
    bootstrap(capped);

    assertThat(capped.issueBootstrap("cli:owner"))
        .isEqualTo(new BootstrapIssue.Full(Duration.ofMinutes(9)));
    clock.advance(Duration.ofMinutes(9));
    bootstrap(capped);
  }

  @Test
  void redeemingApprovesAPendingNodeRequestOfTheSameDevice() {
    TestDevice d = TestDevice.create();
    DeviceRequest pending = requested(store.requestAccess(d.ask("node")));

    store.redeemBootstrap(bootstrap(store).reveal(), d.ask("node"));

    DeviceRequest after = store.find(pending.requestId()).orElseThrow();
    assertThat(after.state()).isEqualTo(DeviceRequestState.APPROVED);
    assertThat(after.resolvedBy().orElseThrow()).startsWith("bootstrap:");
  }

  // ---- events (item 10) ----

  @Test
  void everyStateChangeEmitsOneEventNamingItsActor() {
    TestDevice d = TestDevice.create();
    DeviceRequest r = requested(store.requestAccess(d.ask("node")));
    store.approve(r.requestId(), owner);
    store.issueTokenIfNone(d.id(), "node", "device:" + d.id());
    store.rotate(d.id(), "node", "cli:owner");
    store.revoke(d.id(), "node", "cli:admin");
    BearerSecret boot = bootstrap(store);
    TestDevice scanned = TestDevice.create();
    store.redeemBootstrap(boot.reveal(), scanned.ask("node"));
    String bootstrapId = store.events(0, 100).getLast().subject();
    store.remove(d.id(), "cli:owner");

    List<DeviceEvent> events = store.events(0, 100);

    assertThat(events).extracting(DeviceEvent::type).containsExactly(
        DeviceEvent.Type.REQUESTED, DeviceEvent.Type.APPROVED, DeviceEvent.Type.TOKEN_ISSUED,
        DeviceEvent.Type.TOKEN_ROTATED, DeviceEvent.Type.TOKEN_REVOKED,
        DeviceEvent.Type.BOOTSTRAP_ISSUED, DeviceEvent.Type.BOOTSTRAP_REDEEMED,
        DeviceEvent.Type.APPROVED, DeviceEvent.Type.REMOVED);
    assertThat(events).extracting(DeviceEvent::actor).containsExactly(
        "device:" + d.id(), "cli:owner", "device:" + d.id(), "cli:owner", "cli:admin",
        "cli:owner", "device:" + scanned.id(), "bootstrap:" + bootstrapId, "cli:owner");
    assertThat(events.get(0).subject()).isEqualTo(r.requestId());
    assertThat(events.get(4).role()).contains("node");
    assertThat(events).extracting(DeviceEvent::seq).isSorted().doesNotHaveDuplicates();
    assertThat(store.events(events.get(7).seq(), 10)).hasSize(1);
  }

  @Test
  void sweepExpiresDueRequestsAndForgetsOldHistory() {
    TestDevice d = TestDevice.create();
    DeviceRequest r = requested(store.requestAccess(d.ask("node")));
    clock.advance(Duration.ofMinutes(5));

    assertThat(store.sweep()).isEqualTo(1);
    assertThat(store.find(r.requestId()).orElseThrow().state())
        .isEqualTo(DeviceRequestState.EXPIRED);

    clock.advance(Duration.ofDays(31));
    store.sweep();
    assertThat(store.find(r.requestId())).isEmpty();
    assertThat(store.events(0, 10)).isEmpty();
  }

  // ---- races ----

  protected static <T> List<T> race(Callable<T> a, Callable<T> b) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch start = new CountDownLatch(1);
      Future<T> fa = pool.submit(() -> {
        start.await();
        return a.call();
      });
      Future<T> fb = pool.submit(() -> {
        start.await();
        return b.call();
      });
      start.countDown();
      return List.of(fa.get(), fb.get());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void twoThreadsApprovingOneRequestGiveExactlyOneApproval() throws Exception {
    for (int i = 0; i < 20; i++) {
      TestDevice d = TestDevice.create();
      String id = requested(store.requestAccess(d.ask("node"))).requestId();

      List<DeviceResolution> results = race(() -> store.approve(id, Approver.named("cli:a")),
          () -> store.approve(id, Approver.named("http:b")));

      assertThat(results).filteredOn(r -> r instanceof DeviceResolution.Approved).hasSize(1);
      assertThat(results).filteredOn(r -> r instanceof DeviceResolution.Failed)
          .singleElement().satisfies(r -> assertThat(failure(r))
              .isEqualTo(DeviceResolution.Failure.ALREADY_APPROVED));
    }
    assertThat(eventTypes()).filteredOn(t -> t == DeviceEvent.Type.APPROVED).hasSize(20);
  }

  @Test
  void twoThreadsAskingForOneDeviceLeaveOneLiveRequest() throws Exception {
    TestDevice d = TestDevice.create();

    race(() -> store.requestAccess(d.ask("node")), () -> store.requestAccess(d.ask("operator")));

    assertThat(store.pending()).hasSize(1);
  }
}
