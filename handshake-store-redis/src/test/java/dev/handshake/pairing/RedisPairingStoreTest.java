package dev.handshake.pairing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.store.redis.RedisServer;
import dev.handshake.store.redis.RedisPairingTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pairing contract over {@link PairingService} and the Redis tables; {@link #second()} is a
 * store on another connection (another node), so item 21 races two nodes.
 */
class RedisPairingStoreTest extends PairingStoreContract {
  @RegisterExtension static final RedisServer REDIS = new RedisServer();

  @Override
  PairingStore open(PairingConfig config) {
    REDIS.redis().flushAll();
    return RedisPairingTables.store(REDIS.nodeA(), config, PEPPER, clock);
  }

  @Override
  PairingStore second() {
    return RedisPairingTables.store(REDIS.nodeB(), store.config(), PEPPER, clock);
  }

  @Test
  void item21_manyThreadsOnTwoNodesApprovingOneCodeGiveExactlyOneApproval() throws Exception {
    PairingStore nodeBStore = track(second());
    int threads = 16;
    for (int round = 0; round < 20; round++) {
      Requester who = Requester.of("race", "n" + round);
      RequestOutcome.Created c = created(store, who);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Resolution>> results = new ArrayList<>();
      try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
        for (int t = 0; t < threads; t++) {
          PairingStore node = t % 2 == 0 ? store : nodeBStore;
          Approver approver = Approver.named("operator" + round + "." + t);
          Callable<Resolution> approve =
              () -> {
                go.await();
                return node.approve(code(c.code()), approver);
              };
          results.add(pool.submit(approve));
        }
        go.countDown();
        List<Resolution> outcomes = new ArrayList<>();
        for (Future<Resolution> f : results) {
          outcomes.add(f.get());
        }
        assertThat(outcomes)
            .as("round %d", round)
            .filteredOn(r -> r instanceof Resolution.Approved)
            .hasSize(1);
        assertThat(outcomes)
            .filteredOn(r -> !(r instanceof Resolution.Approved))
            .allSatisfy(r ->
                assertThat(((Resolution.Failed) r).failure())
                    .isEqualTo(Resolution.Failure.ALREADY_APPROVED));
      }
    }
    assertThat(nodeBStore.grants(false)).hasSize(20);
    assertThat(store.events(0, 1000))
        .filteredOn(e -> e.type() == PairingEvent.Type.APPROVED)
        .hasSize(20);
  }

  @Test
  void aRequestMadeOnOneNodeIsPendingAndApprovableOnTheOther() {
    PairingStore nodeBStore = track(second());
    RequestOutcome.Created c = created(store, ANN);

    assertThat(nodeBStore.pending(Optional.empty())).containsExactly(c.request());
    assertThat(nodeBStore.approve(code(c.code()), OWNER)).isInstanceOf(Resolution.Approved.class);
    assertThat(store.isPaired(ANN)).as("the grant made on B is seen on A").isTrue();
  }

  @Test
  void theAccountCapCountsRequestsTheOtherNodeJustMade() {
    PairingStore nodeBStore = track(second());
    for (int i = 0; i < 3; i++) {
      created(i % 2 == 0 ? store : nodeBStore, Requester.of("telegram", "s" + i));
    }

    assertThat(nodeBStore.request(Requester.of("telegram", "s3"), Map.of(), Optional.empty()))
        .isEqualTo(
            new RequestOutcome.Refused(
                RequestOutcome.Reason.ACCOUNT_FULL, java.time.Duration.ZERO));
  }

  @Test
  void aUnitOfWorkThatThrowsWritesNothing() {
    RedisPairingTables tables = RedisPairingTables.open(REDIS.nodeA());
    PairingRequest r = created(store, ANN).request();
    Grant g =
        new Grant(
            BOB,
            "x",
            "cli:owner",
            START,
            java.util.Set.of("chat"),
            Optional.empty(),
            Optional.empty());

    assertThatThrownBy(() ->
            tables.inTransaction(tx -> {
              tx.update(r.resolve(RequestState.APPROVED, "cli:owner", START, Optional.empty()));
              tx.putGrant(g);
              tx.append(
                  new PairingEvent(0, PairingEvent.Type.APPROVED, r.requestId(), ANN, "x", START));
              assertThat(tx.grant(BOB)).as("the unit of work reads its own writes").contains(g);
              assertThat(tx.pending(Optional.empty())).as("its own update too").isEmpty();
              throw new IllegalStateException("changed my mind");
            }))
        .hasMessage("changed my mind");

    assertThat(store.pending(Optional.empty())).containsExactly(r);
    assertThat(store.grant(BOB)).isEmpty();
    assertThat(store.events(0, 100))
        .extracting(PairingEvent::type)
        .containsExactly(PairingEvent.Type.REQUESTED);
    assertThat(REDIS.redis().command("EXISTS", "hs:pairing:lock"))
        .as("the lock is released")
        .isEqualTo(":0");
  }

  @Test
  void requestsAndGrantsRoundTripEveryField() {
    RedisPairingTables tables = RedisPairingTables.open(REDIS.nodeA());
    PairingRequest r =
        new PairingRequest(
            "id-1",
            new Requester("discord", "guild", "u ü"),
            Map.of("name", "Ann \"A\"", "platform", "ios"),
            "ab".repeat(32),
            START,
            START.plusMillis(1),
            START.plusMillis(2),
            RequestState.SUPERSEDED,
            2,
            Optional.of("telegram:default:111"),
            Optional.of(START.plusMillis(3)),
            Optional.of("id-2"));
    Grant g =
        new Grant(
            BOB,
            "id-1",
            "cli:owner",
            START,
            java.util.Set.of("chat", "read"),
            Optional.of(START.plusSeconds(1)),
            Optional.of("cli:root"));

    tables.inTransaction(tx -> {
      tx.insert(r);
      tx.putGrant(g);
      return null;
    });

    Optional<PairingRequest> byId = tables.inTransaction(tx -> tx.request("id-1"));
    Optional<PairingRequest> byCode =
        tables.inTransaction(tx -> tx.latestByCodeHash("ab".repeat(32)));
    List<Grant> grants = tables.inTransaction(tx -> tx.grants(true));
    assertThat(byId).contains(r);
    assertThat(byCode).contains(r);
    assertThat(grants).containsExactly(g);
  }

  @Test
  void theEventLogKeepsAtMostMaxEvents() {
    RedisPairingTables small =
        RedisPairingTables.open(
            REDIS.nodeA(), dev.handshake.store.redis.RedisTableOptions.DEFAULTS.withMaxEvents(3));
    for (int i = 0; i < 5; i++) {
      int n = i;
      small.inTransaction(tx ->
          tx.append(new PairingEvent(0, PairingEvent.Type.REVOKED, "r" + n, ANN, "cli", START)));
    }

    List<PairingEvent> kept = small.inTransaction(tx -> tx.events(0, 100));
    assertThat(kept).extracting(PairingEvent::seq).containsExactly(3L, 4L, 5L);
  }
}
