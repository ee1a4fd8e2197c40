package dev.handshake.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.pairing.PairingConfig;
import dev.handshake.pairing.PairingStore;
import dev.handshake.pairing.Pepper;
import dev.handshake.pairing.RequestOutcome;
import dev.handshake.pairing.Requester;
import dev.handshake.pairing.device.DevicePairingConfig;
import dev.handshake.pairing.device.DeviceStore;
import dev.handshake.pairing.flow.AccessTokenStore;
import dev.handshake.pairing.flow.TokenRecord;
import dev.handshake.store.postgres.PostgresPairingTables;
import dev.handshake.store.postgres.PostgresServer;
import dev.handshake.store.redis.EmbeddedRedis;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where {@link SharedState} puts pairing: Redis with {@code --redis} alone, PostgreSQL whenever
 * {@code --db} is given (with or without Redis), SQLite in the data folder otherwise.
 */
class SharedStatePairingTest {
  @RegisterExtension static final PostgresServer POSTGRES = new PostgresServer();
  static final Pepper PEPPER = Pepper.of(new byte[Pepper.SIZE]);
  static final Requester ANN = Requester.of("telegram", "111");
  static EmbeddedRedis redis;

  @TempDir Path data;

  @BeforeAll
  static void startRedis() {
    redis = EmbeddedRedis.startOnFreePort();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void empty() {
    redis.flushAll();
    POSTGRES.truncate("pairing_request", "pairing_grant", "pairing_event", "pairing_access_token");
  }

  static void requestOnce(PairingStore store) {
    assertThat(store.request(ANN, Map.of(), Optional.empty()))
        .isInstanceOf(RequestOutcome.Created.class);
  }

  static TokenRecord token() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    return new TokenRecord(
        "h", ANN, Set.of("read"), now, now.plusSeconds(60), "ref", Optional.empty());
  }

  @Test
  void withRedisAlonePairingDevicesFlowsAndTokensGoToRedis() throws Exception {
    try (SharedState shared = SharedState.open(Optional.of(redis.url()), Optional.empty());
        PairingStore store =
            shared.pairingStore(data, PairingConfig.defaults(), PEPPER, Clock.systemUTC());
        DeviceStore devices =
            shared.deviceStore(data, DevicePairingConfig.defaults(), PEPPER, Clock.systemUTC());
        AccessTokenStore tokens = shared.tokenStore(data)) {
      requestOnce(store);
      tokens.insert(token(), 4);
      devices.pending();

      assertThat(redis.command("HLEN", "hs:pairing:requests")).isEqualTo(":1");
      assertThat(redis.command("HLEN", "hs:tokens")).isEqualTo(":1");
      assertThat(shared.sharedPairing()).contains("Redis at " + redis.url() + "/0");
      assertThat(data).isEmptyDirectory();
    }
  }

  @Test
  void withADatabasePairingGoesToPostgresEvenWithRedis() throws Exception {
    try (SharedState shared =
            SharedState.open(Optional.of(redis.url()), Optional.of(POSTGRES.pg().url()));
        PairingStore store =
            shared.pairingStore(data, PairingConfig.defaults(), PEPPER, Clock.systemUTC());
        AccessTokenStore tokens = shared.tokenStore(data)) {
      requestOnce(store);
      tokens.insert(token(), 4);

      assertThat(redis.command("EXISTS", "hs:pairing:requests", "hs:tokens")).isEqualTo(":0");
      PairingStore onPostgres =
          PostgresPairingTables.store(
              POSTGRES.db(), PairingConfig.defaults(), PEPPER, Clock.systemUTC());
      assertThat(onPostgres.pending(Optional.empty()))
          .singleElement()
          .satisfies(r -> assertThat(r.requester()).isEqualTo(ANN));
      assertThat(shared.sharedPairing()).contains("PostgreSQL");
    }
  }

  @Test
  void withNeitherPairingStaysInTheDataFolder() throws Exception {
    try (SharedState shared = SharedState.embedded();
        PairingStore store =
            shared.pairingStore(data, PairingConfig.defaults(), PEPPER, Clock.systemUTC())) {
      requestOnce(store);

      assertThat(data.resolve("pairing.db")).exists();
      assertThat(shared.sharedPairing()).isEmpty();
    }
  }
}
