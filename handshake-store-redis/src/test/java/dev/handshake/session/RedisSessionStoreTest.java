package dev.handshake.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.json.Json;
import dev.handshake.store.redis.RedisServer;
import dev.handshake.store.redis.RedisSessionStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The session contract on a real Redis, plus what two nodes sharing it must see. */
class RedisSessionStoreTest extends SessionStoreContract {
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(T0 / 1_000_000), ZoneOffset.UTC);
  @RegisterExtension static final RedisServer REDIS = new RedisServer();

  @Override
  protected SessionStore open() {
    REDIS.redis().flushAll();
    return RedisSessionStore.create(REDIS.nodeA(), CLOCK);
  }

  @Test
  void aSessionCreatedOnOneNodeIsChangedOnTheOtherAndSeenBackOnTheFirst() {
    SessionStore onB = RedisSessionStore.create(REDIS.nodeB(), CLOCK);
    store.insert(session("shared"), 0);

    onB.update("shared", s -> s.data().put("from", Json.nodes().stringNode("B")));

    assertThat(store.update("shared", s -> s.data().get("from").stringValue())).contains("B");
    assertThat(onB.size()).isEqualTo(1);
  }

  @Test
  void updatesRacingOnTwoNodesAreSerialisedAndEachRunsOnce() throws Exception {
    SessionStore onB = RedisSessionStore.create(REDIS.nodeB(), CLOCK);
    store.insert(session("shared"), 0);
    AtomicInteger runs = new AtomicInteger();
    AtomicInteger thread = new AtomicInteger();

    race(() -> {
      SessionStore mine = thread.getAndIncrement() % 2 == 0 ? store : onB;
      for (int i = 0; i < 20; i++) {
        mine.update(
            "shared",
            s -> {
              runs.incrementAndGet();
              int n = s.data().containsKey("n") ? s.data().get("n").intValue() : 0;
              return s.data().put("n", Json.nodes().numberNode(n + 1));
            });
      }
      return null;
    });

    assertThat(store.update("shared", s -> s.data().get("n").intValue())).contains(THREADS * 20);
    assertThat(runs).hasValue(THREADS * 20);
  }

  @Test
  void theLiveLimitHoldsAcrossNodes() {
    SessionStore onB = RedisSessionStore.create(REDIS.nodeB(), CLOCK);
    store.insert(session("a"), 2);
    onB.insert(session("b"), 2);

    assertThat(store.insert(session("c"), 2)).isFalse();
    assertThat(onB.insert(session("d"), 2)).isFalse();
  }

  @Test
  void aSweepOnTwoNodesAtOnceReportsEachExpiredSessionOnce() throws Exception {
    SessionStore onB = RedisSessionStore.create(REDIS.nodeB(), CLOCK);
    for (int i = 0; i < 30; i++) {
      store.insert(session("x" + i), 0);
    }
    AtomicInteger thread = new AtomicInteger();

    List<List<String>> reported =
        race(() -> (thread.getAndIncrement() % 2 == 0 ? store : onB).removeIf(s -> true));

    assertThat(reported.stream().flatMap(List::stream)).hasSize(30).doesNotHaveDuplicates();
    assertThat(store.size()).isZero();
  }
}
