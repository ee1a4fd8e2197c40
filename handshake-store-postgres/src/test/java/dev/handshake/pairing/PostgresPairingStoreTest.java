package dev.handshake.pairing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.store.postgres.PostgresPairingTables;
import dev.handshake.store.postgres.PostgresServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pairing contract over {@link PairingService} and the PostgreSQL tables; {@link #second()} is
 * a store on another pool, so item 21 races two nodes.
 */
class PostgresPairingStoreTest extends PairingStoreContract {
  @RegisterExtension static final PostgresServer SERVER = new PostgresServer();

  @Override
  PairingStore open(PairingConfig config) {
    SERVER.truncate("pairing_request", "pairing_grant", "pairing_event");
    return PostgresPairingTables.store(SERVER.db(), config, PEPPER, clock);
  }

  @Override
  PairingStore second() {
    return PostgresPairingTables.store(SERVER.secondNode(), store.config(), PEPPER, clock);
  }

  @Test
  void item21_twoNodesApprovingOneCodeAtOnceGiveExactlyOneApproval() throws Exception {
    PairingStore nodeB = track(second());
    for (int round = 0; round < 20; round++) {
      Requester who = Requester.of("race", "n" + round);
      RequestOutcome.Created c = created(store, who);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Resolution>> results = new ArrayList<>();
      try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
        for (int t = 0; t < 8; t++) {
          PairingStore node = t % 2 == 0 ? store : nodeB;
          Approver approver =
              Approver.named("operator" + round + "." + t); // under the per-actor attempt limit
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
    assertThat(nodeB.grants(false)).hasSize(20);
    assertThat(store.events(0, 1000))
        .filteredOn(e -> e.type() == PairingEvent.Type.APPROVED)
        .hasSize(20);
  }

  @Test
  void aRequestMadeOnOneNodeIsPendingAndApprovableOnTheOther() {
    PairingStore nodeB = track(second());
    RequestOutcome.Created c = created(store, ANN);
    assertThat(nodeB.pending(Optional.empty()))
        .singleElement()
        .satisfies(r -> assertThat(r).isEqualTo(c.request()));
    assertThat(nodeB.approve(code(c.code()), OWNER)).isInstanceOf(Resolution.Approved.class);
    assertThat(store.isPaired(ANN)).isTrue();
  }
}
