package dev.handshake.pairing.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.store.redis.RedisServer;
import dev.handshake.store.redis.RedisDeviceFlowStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The device flow store contract on a real Redis, plus two nodes polling one device code. */
class RedisDeviceFlowStoreTest extends DeviceFlowStoreContract {
  @RegisterExtension static final RedisServer REDIS = new RedisServer();

  @Override
  protected DeviceFlowStore create() {
    REDIS.redis().flushAll();
    return RedisDeviceFlowStore.create(REDIS.nodeA());
  }

  @Test
  void aFlowStartedOnOneNodeIsFoundOnTheOther() {
    DeviceFlowStore a = store();
    DeviceFlowStore b = RedisDeviceFlowStore.create(REDIS.nodeB());

    a.insert(flow("h"));

    assertThat(b.find("h")).contains(flow("h"));
  }

  @Test
  void twoNodesPollingOneDeviceCodeAtOnceIssueItsTokenOnce() throws Exception {
    DeviceFlowStore a = store();
    DeviceFlowStore b = RedisDeviceFlowStore.create(REDIS.nodeB());
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
