package dev.handshake.pairing.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.store.redis.EmbeddedRedis;
import dev.handshake.store.redis.RedisConnection;
import dev.handshake.store.redis.RedisDeviceFlowStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The device flow store contract on a real Redis, plus two nodes polling one device code. */
class RedisDeviceFlowStoreTest extends DeviceFlowStoreContract {
  static EmbeddedRedis redis;
  static RedisConnection nodeA;
  static RedisConnection nodeB;

  @BeforeAll
  static void startRedis() {
    redis = EmbeddedRedis.startOnFreePort();
    nodeA = RedisConnection.open(redis.url());
    nodeB = RedisConnection.open(redis.url());
  }

  @AfterAll
  static void stopRedis() {
    try {
      nodeA.close();
      nodeB.close();
    } finally {
      redis.close();
    }
  }

  @Override
  protected DeviceFlowStore create() {
    redis.flushAll();
    return RedisDeviceFlowStore.create(nodeA);
  }

  @Test
  void aFlowStartedOnOneNodeIsFoundOnTheOther() {
    DeviceFlowStore a = store();
    DeviceFlowStore b = RedisDeviceFlowStore.create(nodeB);

    a.insert(flow("h"));

    assertThat(b.find("h")).contains(flow("h"));
  }

  @Test
  void twoNodesPollingOneDeviceCodeAtOnceIssueItsTokenOnce() throws Exception {
    DeviceFlowStore a = store();
    DeviceFlowStore b = RedisDeviceFlowStore.create(nodeB);
    for (int round = 0; round < 10; round++) {
      String hash = "h" + round;
      a.insert(flow(hash));
      CountDownLatch go = new CountDownLatch(1);
      try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
        List<Future<Boolean>> issued = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          DeviceFlowStore node = t % 2 == 0 ? a : b;
          Callable<Boolean> poll =
              () -> {
                go.await();
                return node.update(
                        hash, f -> new DeviceFlowStore.Change<>(f.markIssued(), !f.issued()))
                    .orElseThrow();
              };
          issued.add(pool.submit(poll));
        }
        go.countDown();
        int tokens = 0;
        for (Future<Boolean> f : issued) {
          tokens += f.get() ? 1 : 0;
        }
        assertThat(tokens).as("round %d", round).isEqualTo(1);
      }
    }
  }
}
