package dev.handshake.pairing.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.store.redis.RedisAccessTokenStore;
import dev.handshake.store.redis.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The access token store contract on a real Redis, plus tokens shared by two nodes. */
class RedisAccessTokenStoreTest extends AccessTokenStoreContract {
  @RegisterExtension static final RedisServer REDIS = new RedisServer();

  @Override
  protected AccessTokenStore create() {
    REDIS.redis().flushAll();
    return RedisAccessTokenStore.create(REDIS.nodeA());
  }

  @Test
  void aTokenIssuedOnOneNodeIsFoundOnTheOtherUntilDeletedThere() {
    AccessTokenStore a = store();
    AccessTokenStore b = RedisAccessTokenStore.create(REDIS.nodeB());
    a.insert(token("t", ANN, 0), 16);

    assertThat(b.find("t")).contains(token("t", ANN, 0));
    assertThat(b.deleteAll(ANN)).isEqualTo(1);
    assertThat(a.find("t")).isEmpty();
  }

  @Test
  void twoNodesIssuingAtOnceKeepAtMostTheLimit() throws Exception {
    AccessTokenStore a = store();
    AccessTokenStore b = RedisAccessTokenStore.create(REDIS.nodeB());
    CountDownLatch go = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 40; t++) {
        AccessTokenStore node = t % 2 == 0 ? a : b;
        int n = t;
        done.add(
            pool.submit(() -> {
              go.await();
              node.insert(token("t" + n, ANN, n), 3);
              return null;
            }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    }
    int kept = 0;
    for (int t = 0; t < 40; t++) {
      kept += a.find("t" + t).isPresent() ? 1 : 0;
    }
    assertThat(kept).isEqualTo(3);
    assertThat(a.deleteAll(ANN)).isEqualTo(3);
  }

  @Test
  void forgettingAnExpiredTokenAlsoUnlistsItFromItsRequester() {
    AccessTokenStore a = store();
    a.insert(token("old", ANN, 0), 2);
    a.insert(token("new", ANN, 7200), 2);

    assertThat(a.forgetExpiredBefore(T0.plusSeconds(3601))).isEqualTo(1);
    a.insert(token("newer", ANN, 7201), 2);

    assertThat(a.find("new"))
        .as("the forgotten token no longer counts toward the limit")
        .isPresent();
    assertThat(a.deleteAll(ANN)).isEqualTo(2);
  }
}
