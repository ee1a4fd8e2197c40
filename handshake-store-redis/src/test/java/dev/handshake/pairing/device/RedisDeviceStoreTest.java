package dev.handshake.pairing.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.crypto.BearerSecret;
import dev.handshake.pairing.Approver;
import dev.handshake.store.redis.RedisServer;
import dev.handshake.store.redis.RedisDeviceTables;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The device store contract over the rules of {@code TransactionalDeviceStore} and Redis. */
class RedisDeviceStoreTest extends DeviceStoreContract {
  @RegisterExtension static final RedisServer REDIS = new RedisServer();

  @Override
  protected DeviceStore create(DevicePairingConfig config) {
    REDIS.redis().flushAll();
    return RedisDeviceTables.store(REDIS.nodeA(), config, pepper, clock);
  }

  @Test
  void twoNodesApprovingOneRequestGiveExactlyOneApproval() throws Exception {
    DeviceStore onB = RedisDeviceTables.store(REDIS.nodeB(), DevicePairingConfig.defaults(), pepper, clock);
    for (int i = 0; i < 20; i++) {
      TestDevice d = TestDevice.create();
      String id = requested(store.requestAccess(d.ask("node"))).requestId();

      List<DeviceResolution> results =
          race(
              () -> store.approve(id, Approver.named("cli:a")),
              () -> onB.approve(id, Approver.named("http:b")));

      assertThat(results).filteredOn(r -> r instanceof DeviceResolution.Approved).hasSize(1);
      assertThat(results).filteredOn(r -> r instanceof DeviceResolution.Failed).hasSize(1);
    }
    assertThat(onB.devices()).hasSize(20);
    onB.close();
  }

  @Test
  void aTokenIssuedOnOneNodeIsCheckedOnTheOther() {
    DeviceStore onB = RedisDeviceTables.store(REDIS.nodeB(), DevicePairingConfig.defaults(), pepper, clock);
    TestDevice d = TestDevice.create();
    pair(d, "node");
    BearerSecret secret = issued(store.issueTokenIfNone(d.id(), "node", "device:x"));

    assertThat(onB.checkToken(d.id(), "node", Optional.of(secret.reveal()), Set.of()))
        .isInstanceOf(TokenCheck.Valid.class);
    onB.close();
  }
}
