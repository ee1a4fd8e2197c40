package dev.handshake.pairing.device;

import dev.handshake.crypto.BearerSecret;
import dev.handshake.pairing.Approver;
import dev.handshake.store.sqlite.SqliteStores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

/** The {@link DeviceStore} contract over the SQLite file, plus what only a file can show. */
class SqliteDeviceStoreTest extends DeviceStoreContract {
  @TempDir Path dir;
  private int stores;

  /** Each call gets its own folder, except through {@link #reopen}. */
  @Override
  protected DeviceStore create(DevicePairingConfig config) throws IOException {
    return SqliteStores.devices(dir.resolve("data-" + stores++), config, pepper, clock);
  }

  private DeviceStore reopen() throws IOException {
    return open(DevicePairingConfig.defaults(), dir.resolve("data-0"));
  }

  private DeviceStore open(DevicePairingConfig config, Path folder) throws IOException {
    DeviceStore s = SqliteStores.devices(folder, config, pepper, clock);
    closeLater(s);
    return s;
  }

  private final List<DeviceStore> extra = new ArrayList<>();

  private void closeLater(DeviceStore s) {
    extra.add(s);
  }

  @org.junit.jupiter.api.AfterEach
  void closeExtra() {
    extra.forEach(DeviceStore::close);
  }

  private Path file() {
    return dir.resolve("data-0").resolve(SqliteStores.DEVICES_FILE);
  }

  private List<String> column(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }

  private boolean anyFileContains(String secret) throws IOException {
    byte[] needle = secret.getBytes(StandardCharsets.US_ASCII);
    try (Stream<Path> files = Files.list(file().getParent())) {
      for (Path f : files.toList()) {
        byte[] bytes = Files.readAllBytes(f);
        for (int i = 0; i + needle.length <= bytes.length; i++) {
          if (java.util.Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  @Test
  @DisplayName("§4 item 13: device tokens are stored only as an HMAC under the pepper")
  void item13_deviceTokensAreStoredOnlyHashed() throws Exception {
    TestDevice d = TestDevice.create();
    pair(d, "node");
    BearerSecret token = issued(store.issueTokenIfNone(d.id(), "node", "t"));

    assertThat(column("SELECT token_hash FROM device_tokens"))
        .containsExactly(pepper.derive("device-token").hash(token.reveal()));
    assertThat(anyFileContains(token.reveal())).as("token text anywhere on disk").isFalse();
  }

  @Test
  @DisplayName("§4 item 14: bootstrap tokens are stored only as an HMAC under the pepper")
  void item14_bootstrapTokensAreStoredOnlyHashed() throws Exception {
    BearerSecret token = bootstrap(store);

    assertThat(column("SELECT token_hash FROM device_bootstrap"))
        .containsExactly(pepper.derive("device-bootstrap").hash(token.reveal()));
    assertThat(anyFileContains(token.reveal())).isFalse();
  }

  @Test
  void theFileIsNamedPairingDevicesDbAndOwnerOnly() throws Exception {
    pair(TestDevice.create(), "node");

    assertThat(file().getFileName().toString()).isEqualTo("pairing-devices.db");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file())))
        .isEqualTo("rw-------");
  }

  @Test
  void pairingsAndTokensSurviveAReopen() throws Exception {
    TestDevice d = TestDevice.create();
    PairedDevice device = pair(d, "operator", "operator.read");
    BearerSecret token = issued(store.issueTokenIfNone(d.id(), "operator", "t"));
    DeviceRequest pending = requested(store.requestAccess(d.ask("node")));
    store.close();

    DeviceStore again = reopen();

    assertThat(again.device(d.id())).contains(device);
    assertThat(again.checkToken(d.id(), "operator", Optional.of(token.reveal()),
        Set.of("operator.read"))).isInstanceOf(TokenCheck.Valid.class);
    assertThat(again.find(pending.requestId())).contains(pending);
  }

  @Test
  @DisplayName("two processes (two connections) approving one request: exactly one approval")
  void twoConnectionsApprovingOneRequestGiveExactlyOneApproval() throws Exception {
    DeviceStore cli = reopen();
    for (int i = 0; i < 10; i++) {
      String id = requested(store.requestAccess(TestDevice.create().ask("node"))).requestId();

      List<DeviceResolution> results = race(() -> store.approve(id, Approver.named("server")),
          () -> cli.approve(id, Approver.named("cli")));

      assertThat(results).filteredOn(r -> r instanceof DeviceResolution.Approved).hasSize(1);
      assertThat(results).filteredOn(r -> r instanceof DeviceResolution.Failed).hasSize(1);
    }
    assertThat(column("SELECT count(*) FROM device_events WHERE type = 'APPROVED'"))
        .containsExactly("10");
  }

  @Test
  void aTokenRotatedThroughOneConnectionFailsThroughTheOther() throws Exception {
    TestDevice d = TestDevice.create();
    pair(d, "node");
    BearerSecret old = issued(store.issueTokenIfNone(d.id(), "node", "t"));
    DeviceStore cli = reopen();

    issued(cli.rotate(d.id(), "node", "cli:owner"));

    assertThat(failure(store.checkToken(d.id(), "node", Optional.of(old.reveal()), Set.of())))
        .isEqualTo(TokenCheck.Failure.TOKEN_MISMATCH);
  }
}
