package dev.handshake.pairing.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.pairing.Approver;
import dev.handshake.store.postgres.PostgresDeviceTables;
import dev.handshake.store.postgres.PostgresServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The device store contract over the rules of {@code TransactionalDeviceStore} and PostgreSQL. */
class PostgresDeviceStoreTest extends DeviceStoreContract {
  @RegisterExtension static final PostgresServer SERVER = new PostgresServer();

  @Override
  protected DeviceStore create(DevicePairingConfig config) {
    SERVER.truncate(
        "device_request", "device_paired", "device_token", "device_bootstrap", "device_event");
    return PostgresDeviceTables.store(SERVER.db(), config, pepper, clock);
  }

  @Test
  void twoNodesApprovingOneRequestGiveExactlyOneApproval() throws Exception {
    DeviceStore nodeB =
        PostgresDeviceTables.store(
            SERVER.secondNode(), DevicePairingConfig.defaults(), pepper, clock);
    for (int i = 0; i < 20; i++) {
      TestDevice d = TestDevice.create();
      String id = requested(store.requestAccess(d.ask("node"))).requestId();

      List<DeviceResolution> results =
          race(
              () -> store.approve(id, Approver.named("cli:a")),
              () -> nodeB.approve(id, Approver.named("http:b")));

      assertThat(results).filteredOn(r -> r instanceof DeviceResolution.Approved).hasSize(1);
      assertThat(results).filteredOn(r -> r instanceof DeviceResolution.Failed).hasSize(1);
    }
    assertThat(nodeB.devices()).hasSize(20);
    nodeB.close();
  }
}
