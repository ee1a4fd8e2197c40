package dev.handshake.pairing.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.crypto.BearerSecret;
import dev.handshake.pairing.Approver;
import dev.handshake.store.redis.EmbeddedRedis;
import dev.handshake.store.redis.RedisConnection;
import dev.handshake.store.redis.RedisDeviceTables;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The device store contract over the rules of {@code TransactionalDeviceStore} and Redis. */
class RedisDeviceStoreTest extends DeviceStoreContract {
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
  protected DeviceStore create(DevicePairingConfig config) {
    redis.flushAll();
    return RedisDeviceTables.store(nodeA, config, pepper, clock);
  }

  @Test
  void twoNodesApprovingOneRequestGiveExactlyOneApproval() throws Exception {
    DeviceStore onB = RedisDeviceTables.store(nodeB, DevicePairingConfig.defaults(), pepper, clock);
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
    DeviceStore onB = RedisDeviceTables.store(nodeB, DevicePairingConfig.defaults(), pepper, clock);
    TestDevice d = TestDevice.create();
    pair(d, "node");
    BearerSecret secret = issued(store.issueTokenIfNone(d.id(), "node", "device:x"));

    assertThat(onB.checkToken(d.id(), "node", Optional.of(secret.reveal()), Set.of()))
        .isInstanceOf(TokenCheck.Valid.class);
    onB.close();
  }
}
