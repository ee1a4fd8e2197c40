package dev.handshake.pairing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link PairingStore} must have (pairing.md §3.2 rules 1–6 and §4 items 1–7,
 * 10, 21), run once per implementation.
 */
abstract class PairingStoreContract {
  static final Instant START = Instant.parse("2026-11-21T12:00:00Z");
  static final Pepper PEPPER = Pepper.of(new byte[32]);
  static final Approver OWNER = Approver.named("cli:owner");
  static final Requester ANN = Requester.of("telegram", "111");
  static final Requester BOB = Requester.of("telegram", "222");

  PairingTestClock clock;
  PairingStore store;
  final List<PairingStore> opened = new ArrayList<>();

  /** A store over fresh, empty tables (each call within one test may share the tables). */
  abstract PairingStore open(PairingConfig config);

  @BeforeEach
  void setUp() {
    clock = new PairingTestClock(START);
    store = track(open(PairingConfig.defaults()));
  }

  PairingStore track(PairingStore s) {
    opened.add(s);
    return s;
  }

  @AfterEach
  void closeAll() {
    opened.forEach(PairingStore::close);
  }

  RequestOutcome.Created created(PairingStore s, Requester who) {
    RequestOutcome out = s.request(who, Map.of("name", "Ann"), Optional.empty());
    assertThat(out).isInstanceOf(RequestOutcome.Created.class);
    return (RequestOutcome.Created) out;
  }

  static ApprovalTarget code(PairingCode c) {
    return ApprovalTarget.code(c);
  }

  static PairingCode typed(String text) {
    return PairingCode.parse(text, CodeAlphabet.REFERENCE).orElseThrow();
  }

  @Test
  void item1_codesAreEightSymbolsOfTheReferenceAlphabetUniqueAndStoredOnlyAsHmac() {
    Set<String> seen = new HashSet<>();
    PairingStore roomy = track(open(PairingConfig.defaults().pendingCaps(200, 1000)
        .creates(3, Duration.ofHours(1), 1000)));
    for (int i = 0; i < 150; i++) {
      RequestOutcome.Created c = created(roomy, Requester.of("telegram", "s" + i));
      String raw = c.code().reveal();
      assertThat(raw).hasSize(8).matches("[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8}");
      assertThat(c.code().display()).isEqualTo(raw.substring(0, 4) + "-" + raw.substring(4));
      assertThat(seen.add(raw)).as("unique among live requests").isTrue();
      assertThat(c.request().codeHash()).hasSize(64).doesNotContain(raw);
      assertThat(c.request().toString()).doesNotContain(raw);
      assertThat(c.code().toString()).doesNotContain(raw);
    }
    for (PairingRequest r : roomy.pending(Optional.empty())) {
      assertThat(seen).doesNotContain(r.codeHash());
    }
  }

  @Test
  void item2_dashesSpacesAndCaseDoNotChangeTheCode() {
    RequestOutcome.Created c = created(store, ANN);
    String raw = c.code().reveal();
    String lower = raw.substring(0, 4).toLowerCase() + "-" + raw.substring(4).toLowerCase();
    String spaced = "  " + raw.substring(0, 4) + " " + raw.substring(4) + " ";
    assertThat(typed(lower)).isEqualTo(c.code());
    assertThat(typed(spaced)).isEqualTo(c.code());
    assertThat(typed(raw)).isEqualTo(c.code());
    assertThat(PairingCode.parse("ABCD-EFG0", CodeAlphabet.REFERENCE)).as("0 is not a symbol").isEmpty();
    assertThat(PairingCode.parse("ABCD-EFGHJ", CodeAlphabet.REFERENCE)).as("nine symbols").isEmpty();
    assertThat(store.approve(code(typed(lower)), OWNER)).isInstanceOf(Resolution.Approved.class);
  }

  @Test
  void item3_aRepeatFromAPendingSenderRefreshesWithoutANewCode() {
    RequestOutcome.Created first = created(store, ANN);
    clock.advance(Duration.ofMinutes(10));
    RequestOutcome again = store.request(ANN, Map.of(), Optional.empty());
    assertThat(again).isInstanceOfSatisfying(RequestOutcome.Refreshed.class, r -> {
      assertThat(r.request().requestId()).isEqualTo(first.request().requestId());
      assertThat(r.request().lastSeenAt()).isEqualTo(START.plus(Duration.ofMinutes(10)));
      assertThat(r.request().expiresAt()).isEqualTo(first.request().expiresAt());
    });
    assertThat(store.pending(Optional.empty())).hasSize(1);
    assertThat(store.find(first.request().requestId()).orElseThrow().lastSeenAt())
        .isEqualTo(START.plus(Duration.ofMinutes(10)));
    assertThat(store.events(0, 100)).extracting(PairingEvent::type)
        .containsExactly(PairingEvent.Type.REQUESTED);
  }

  @Test
  void item4_aFourthSenderOnOneAccountGetsNoCode() {
    for (int i = 0; i < 3; i++) {
      created(store, Requester.of("telegram", "s" + i));
    }
    assertThat(store.request(Requester.of("telegram", "s3"), Map.of(), Optional.empty()))
        .isEqualTo(new RequestOutcome.Refused(RequestOutcome.Reason.ACCOUNT_FULL, Duration.ZERO));
    assertThat(store.request(new Requester("telegram", "bot2", "s3"), Map.of(), Optional.empty()))
        .as("another account of the same channel has its own three")
        .isInstanceOf(RequestOutcome.Created.class);
  }

  @Test
  void item4_theGlobalCapIsEnforced() {
    PairingStore small = track(open(PairingConfig.defaults().pendingCaps(3, 4)));
    for (int i = 0; i < 4; i++) {
      created(small, Requester.of("chan" + i, "s"));
    }
    assertThat(small.request(Requester.of("chan9", "s"), Map.of(), Optional.empty()))
        .isEqualTo(new RequestOutcome.Refused(RequestOutcome.Reason.STORE_FULL, Duration.ZERO));
  }

  @Test
  void item4_anExpiredRequestFreesItsPlace() {
    for (int i = 0; i < 3; i++) {
      created(store, Requester.of("telegram", "s" + i));
    }
    clock.advance(Duration.ofHours(1));
    assertThat(store.request(Requester.of("telegram", "s3"), Map.of(), Optional.empty()))
        .isInstanceOf(RequestOutcome.Created.class);
  }

  @Test
  void item5_approvingACodePairsExactlyTheSenderItWasIssuedTo() {
    RequestOutcome.Created ann = created(store, ANN);
    created(store, BOB);
    Resolution r = store.approve(code(ann.code()), OWNER);
    assertThat(r).isInstanceOfSatisfying(Resolution.Approved.class, a -> {
      assertThat(a.grant().requester()).isEqualTo(ANN);
      assertThat(a.grant().approvedBy()).isEqualTo("cli:owner");
      assertThat(a.request().state()).isEqualTo(RequestState.APPROVED);
    });
    assertThat(store.isPaired(ANN)).isTrue();
    assertThat(store.isPaired(BOB)).isFalse();
    assertThat(store.grants(false)).extracting(Grant::requester).containsExactly(ANN);
    assertThat(store.pending(Optional.empty())).extracting(p -> p.requester()).containsExactly(BOB);
  }

  @Test
  void item5_aRequestIdOrAChannelFilterSelectsTheSameRequester() {
    RequestOutcome.Created ann = created(store, ANN);
    assertThat(store.approve(new ApprovalTarget.ByCode(ann.code(), Optional.of("discord"),
        Optional.empty()), OWNER))
        .as("a code from another channel is not found there")
        .isInstanceOfSatisfying(Resolution.Failed.class,
            f -> assertThat(f.failure()).isEqualTo(Resolution.Failure.NOT_FOUND));
    assertThat(store.approve(new ApprovalTarget.ById(ann.request().requestId()), OWNER))
        .isInstanceOfSatisfying(Resolution.Approved.class,
            a -> assertThat(a.grant().requester()).isEqualTo(ANN));
  }

  @Test
  void item6_fiveWrongGuessesExpireTheRequestWithoutBlockingOthers() {
    RequestOutcome.Created ann = created(store, ANN);
    RequestOutcome.Created bob = created(store, BOB);
    PairingCode wrong = otherThan(ann.code(), bob.code());
    String annId = ann.request().requestId();
    for (int i = 1; i <= 4; i++) {
      Resolution r = store.approve(new ApprovalTarget.ByIdAndCode(annId, wrong), Approver.named("a" + i));
      assertThat(r).isInstanceOfSatisfying(Resolution.Failed.class,
          f -> assertThat(f.failure()).isEqualTo(Resolution.Failure.WRONG_CODE));
    }
    assertThat(store.find(annId).orElseThrow().state()).isEqualTo(RequestState.PENDING);
    assertThat(store.find(annId).orElseThrow().failedAttempts()).isEqualTo(4);
    store.approve(new ApprovalTarget.BySenderAndCode(ANN, wrong), Approver.named("a5"));
    assertThat(store.find(annId).orElseThrow().state()).isEqualTo(RequestState.EXPIRED);
    assertThat(store.approve(code(ann.code()), OWNER))
        .as("even the right code is now too late")
        .isInstanceOfSatisfying(Resolution.Failed.class,
            f -> assertThat(f.failure()).isEqualTo(Resolution.Failure.EXPIRED));
    assertThat(store.approve(code(bob.code()), OWNER))
        .as("no platform-wide lockout")
        .isInstanceOf(Resolution.Approved.class);
    assertThat(store.isPaired(ANN)).isFalse();
    assertThat(store.events(0, 100)).filteredOn(e -> e.type() == PairingEvent.Type.EXPIRED)
        .singleElement().satisfies(e -> assertThat(e.actor()).isEqualTo("a5"));
  }

  @Test
  void item6_approvalAttemptsAreLimitedPerApproverAndPerAddress() {
    RequestOutcome.Created ann = created(store, ANN);
    PairingCode wrong = otherThan(ann.code(), ann.code());
    for (int i = 0; i < 10; i++) {
      store.approve(code(wrong), new Approver("http:op", Optional.of("10.0.0." + i)));
    }
    Resolution limited = store.approve(code(ann.code()), new Approver("http:op", Optional.of("10.0.0.99")));
    assertThat(limited).isInstanceOfSatisfying(Resolution.Failed.class, f -> {
      assertThat(f.failure()).isEqualTo(Resolution.Failure.RATE_LIMITED);
      assertThat(f.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
    });
    for (int i = 0; i < 10; i++) {
      store.approve(code(wrong), new Approver("other" + i, Optional.of("10.9.9.9")));
    }
    assertThat(store.approve(code(ann.code()), new Approver("fresh", Optional.of("10.9.9.9"))))
        .as("the address is limited too")
        .isInstanceOfSatisfying(Resolution.Failed.class,
            f -> assertThat(f.failure()).isEqualTo(Resolution.Failure.RATE_LIMITED));
    assertThat(store.approve(code(ann.code()), Approver.named("cli:owner")))
        .as("another approver is not affected")
        .isInstanceOf(Resolution.Approved.class);
    clock.advance(Duration.ofMinutes(1));
    assertThat(store.approve(code(wrong), new Approver("http:op", Optional.of("10.0.0.1"))))
        .isInstanceOfSatisfying(Resolution.Failed.class,
            f -> assertThat(f.failure()).isEqualTo(Resolution.Failure.NOT_FOUND));
  }

  @Test
  void item7_denyIsTerminalLeavesNoGrantAndALaterApproveSaysDenied() {
    RequestOutcome.Created ann = created(store, ANN);
    assertThat(store.deny(code(ann.code()), OWNER)).isInstanceOfSatisfying(Resolution.Denied.class,
        d -> assertThat(d.request().state()).isEqualTo(RequestState.DENIED));
    assertThat(store.grants(true)).isEmpty();
    assertThat(store.isPaired(ANN)).isFalse();
    Resolution later = store.approve(code(ann.code()), OWNER);
    assertThat(later).isInstanceOfSatisfying(Resolution.Failed.class, f -> {
      assertThat(f.failure()).isEqualTo(Resolution.Failure.DENIED);
      assertThat(f.failure().message()).isEqualTo("the request was denied");
      assertThat(f.failure().code()).isEqualTo("request_denied");
    });
    assertThat(store.approve(new ApprovalTarget.ById(ann.request().requestId()), OWNER))
        .isInstanceOfSatisfying(Resolution.Failed.class,
            f -> assertThat(f.failure()).isEqualTo(Resolution.Failure.DENIED));
  }

  @Test
  void expiryByTimeIsReportedToTheApprover() {
    RequestOutcome.Created ann = created(store, ANN);
    clock.advance(Duration.ofMinutes(59));
    assertThat(store.pending(Optional.empty())).hasSize(1);
    clock.advance(Duration.ofMinutes(1));
    assertThat(store.approve(code(ann.code()), OWNER))
        .isInstanceOfSatisfying(Resolution.Failed.class,
            f -> assertThat(f.failure()).isEqualTo(Resolution.Failure.EXPIRED));
    assertThat(store.pending(Optional.empty())).isEmpty();
  }

  @Test
  void theLifetimeIsConfigurable() {
    PairingStore shortLived = track(open(PairingConfig.defaults().codeTtl(Duration.ofSeconds(300))));
    RequestOutcome.Created c = created(shortLived, ANN);
    assertThat(c.request().expiresAt()).isEqualTo(START.plusSeconds(300));
  }

  @Test
  void renewSupersedesTheLiveRequestWhichStaysResolvable() {
    RequestOutcome.Created first = created(store, ANN);
    RequestOutcome second = store.renew(ANN, Map.of(), Optional.empty());
    assertThat(second).isInstanceOf(RequestOutcome.Created.class);
    String newId = ((RequestOutcome.Created) second).request().requestId();
    PairingRequest old = store.find(first.request().requestId()).orElseThrow();
    assertThat(old.state()).isEqualTo(RequestState.SUPERSEDED);
    assertThat(old.supersededBy()).contains(newId);
    assertThat(store.approve(code(first.code()), OWNER))
        .isInstanceOfSatisfying(Resolution.Failed.class,
            f -> assertThat(f.failure()).isEqualTo(Resolution.Failure.SUPERSEDED));
    assertThat(store.approve(code(((RequestOutcome.Created) second).code()), OWNER))
        .isInstanceOf(Resolution.Approved.class);
  }

  @Test
  void creationIsThrottledPerSenderAndPerSource() {
    for (int i = 0; i < 3; i++) {
      RequestOutcome.Created c = created(store, ANN);
      store.deny(code(c.code()), OWNER);
    }
    assertThat(store.request(ANN, Map.of(), Optional.empty()))
        .isInstanceOfSatisfying(RequestOutcome.Refused.class, r -> {
          assertThat(r.reason()).isEqualTo(RequestOutcome.Reason.THROTTLED);
          assertThat(r.retryAfter()).isPositive();
        });
    PairingStore perSource = track(open(PairingConfig.defaults().pendingCaps(100, 100)
        .creates(3, Duration.ofHours(1), 2)));
    assertThat(perSource.request(Requester.of("web", "x1"), Map.of(), Optional.of("10.1.1.1")))
        .isInstanceOf(RequestOutcome.Created.class);
    assertThat(perSource.request(Requester.of("web", "x2"), Map.of(), Optional.of("10.1.1.1")))
        .isInstanceOf(RequestOutcome.Created.class);
    assertThat(perSource.request(Requester.of("web", "x3"), Map.of(), Optional.of("10.1.1.1")))
        .isInstanceOf(RequestOutcome.Refused.class);
  }

  @Test
  void alreadyPairedSendersGetNoNewCodeAndRevokeEndsTheGrant() {
    RequestOutcome.Created ann = created(store, ANN);
    store.approve(code(ann.code()), OWNER);
    assertThat(store.request(ANN, Map.of(), Optional.empty())).isInstanceOf(RequestOutcome.AlreadyPaired.class);
    assertThat(store.revoke(ANN, "cli:owner")).hasValueSatisfying(g -> {
      assertThat(g.revokedBy()).contains("cli:owner");
      assertThat(g.active()).isFalse();
    });
    assertThat(store.isPaired(ANN)).isFalse();
    assertThat(store.revoke(ANN, "cli:owner")).as("nothing left to revoke").isEmpty();
    assertThat(store.grants(false)).isEmpty();
    assertThat(store.grants(true)).singleElement()
        .satisfies(g -> assertThat(g.revokedAt()).isPresent());
  }

  @Test
  void item10_everyStateChangeEmitsExactlyOneEventNamingTheActor() {
    RequestOutcome.Created ann = created(store, ANN);
    store.request(ANN, Map.of(), Optional.empty());
    store.approve(code(ann.code()), OWNER);
    store.revoke(ANN, "cli:root");
    RequestOutcome.Created bob = created(store, BOB);
    store.deny(code(bob.code()), Approver.named("telegram:owner"));
    Requester cat = Requester.of("telegram", "333");
    created(store, cat);
    store.renew(cat, Map.of(), Optional.empty());
    clock.advance(Duration.ofHours(2));
    assertThat(store.sweep()).isEqualTo(1);
    assertThat(store.events(0, 100))
        .extracting(e -> e.type().wireName() + " " + e.actor())
        .containsExactly(
            "pairing.requested telegram:default:111",
            "pairing.approved cli:owner",
            "pairing.revoked cli:root",
            "pairing.requested telegram:default:222",
            "pairing.denied telegram:owner",
            "pairing.requested telegram:default:333",
            "pairing.superseded telegram:default:333",
            "pairing.requested telegram:default:333",
            "pairing.expired system");
    List<PairingEvent> all = store.events(0, 100);
    assertThat(store.events(all.get(6).seq(), 100)).hasSize(2);
  }

  @Test
  void importedRequestsAndGrantsBehaveLikeNativeOnes() {
    PairingCode plain = typed("K7QX-M2PA");
    Optional<PairingRequest> imported = store.importRequest(ANN, Map.of("name", "Ann"), plain,
        START.minus(Duration.ofMinutes(5)), "import:openclaw");
    assertThat(imported).isPresent();
    assertThat(imported.get().codeHash()).doesNotContain("K7QXM2PA");
    assertThat(store.importRequest(ANN, Map.of(), plain, START, "import:openclaw")).isEmpty();
    assertThat(store.importGrant(BOB, START.minus(Duration.ofDays(3)), "import:praisonai")).isPresent();
    assertThat(store.isPaired(BOB)).isTrue();
    assertThat(store.approve(code(plain), OWNER)).isInstanceOf(Resolution.Approved.class);
    assertThat(store.importRequest(BOB, Map.of(), typed("ABCD-EFGH"),
        START.minus(Duration.ofHours(2)), "import")).as("already expired").isEmpty();
  }

  @Test
  void displayMetaIsBounded() {
    assertThatThrownBy(() -> store.request(ANN, Map.of("name", "x".repeat(300)), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Requester.of("telegram", "a\u0007b"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void item21_concurrentApprovalsOfOneCodeGiveExactlyOneGrant() throws Exception {
    PairingStore other = track(second());
    for (int round = 0; round < 10; round++) {
      Requester who = Requester.of("race", "r" + round);
      RequestOutcome.Created c = created(store, who);
      CountDownLatch go = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<Resolution>> results = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          PairingStore s = t % 2 == 0 ? store : other;
          Approver a = Approver.named("approver" + t);
          Callable<Resolution> call = () -> {
            go.await();
            return s.approve(code(c.code()), a);
          };
          results.add(pool.submit(call));
        }
        go.countDown();
        int approved = 0;
        for (Future<Resolution> f : results) {
          Resolution r = f.get();
          if (r instanceof Resolution.Approved) {
            approved++;
          } else {
            assertThat(((Resolution.Failed) r).failure()).isEqualTo(Resolution.Failure.ALREADY_APPROVED);
          }
        }
        assertThat(approved).isEqualTo(1);
      } finally {
        pool.shutdownNow();
      }
    }
    assertThat(store.events(0, 1000)).filteredOn(e -> e.type() == PairingEvent.Type.APPROVED).hasSize(10);
    assertThat(other.grants(false)).hasSize(10);
  }

  /** A second store over the same tables (another connection for SQLite). */
  abstract PairingStore second();

  static PairingCode otherThan(PairingCode a, PairingCode b) {
    for (String candidate : List.of("AAAA-AAAA", "BBBB-BBBB", "CCCC-CCCC")) {
      PairingCode c = typed(candidate);
      if (!c.equals(a) && !c.equals(b)) {
        return c;
      }
    }
    throw new AssertionError("unreachable");
  }
}
