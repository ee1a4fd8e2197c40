package dev.handshake.pairing.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.store.postgres.PostgresDeviceFlowStore;
import dev.handshake.store.postgres.PostgresServer;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The device flow store contract on PostgreSQL, plus two nodes polling one device code. */
class PostgresDeviceFlowStoreTest extends DeviceFlowStoreContract {
  @RegisterExtension static final PostgresServer SERVER = new PostgresServer();

  @Override
  protected DeviceFlowStore create() {
    SERVER.truncate("pairing_device_flow");
    return PostgresDeviceFlowStore.open(SERVER.db());
  }

  @Test
  void twoNodesPollingOneDeviceCodeAtOnceIssueItsTokenOnce() throws Exception {
    DeviceFlowStore a = store();
    DeviceFlowStore b = PostgresDeviceFlowStore.open(SERVER.secondNode());
    for (int round = 0; round < 10; round++) {
      String hash = "h" + round;
      a.insert(flow(hash));
      CountDownLatch go = new CountDownLatch(1);
      try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
        List<Future<Boolean>> issued = new java.util.ArrayList<>();
        for (int t = 0; t < 6; t++) {
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
