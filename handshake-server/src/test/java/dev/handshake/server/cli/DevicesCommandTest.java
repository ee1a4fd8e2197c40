package dev.handshake.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.json.Json;
import dev.handshake.pairing.device.AccessAsk;
import dev.handshake.pairing.device.AccessOutcome;
import dev.handshake.pairing.device.DeviceIdentity;
import dev.handshake.pairing.device.DevicePairingConfig;
import dev.handshake.pairing.device.DeviceStore;
import dev.handshake.pairing.device.TokenCheck;
import dev.handshake.pairing.device.TokenIssue;
import dev.handshake.server.ServerPairing;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code handshake devices …} on the server's device store (pairing.md §2.4, §4 item 13). */
class DevicesCommandTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);
  static final CommandEnvironment ENV =
      new CommandEnvironment(name -> null, SecretPrompt.none(), CLOCK, new SecureRandom());

  @TempDir Path data;
  final DeviceIdentity device =
      DeviceIdentity.of(Ed25519PrivateKey.generate(new SecureRandom()).publicKey());

  CliRun devices(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "devices";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--data";
    all[args.length + 2] = data.toString();
    return CliRun.execute(ENV, all);
  }

  DeviceStore open() throws Exception {
    return ServerPairing.openDeviceStore(data, DevicePairingConfig.defaults(), CLOCK);
  }

  String ask() throws Exception {
    try (DeviceStore s = open()) {
      return ((AccessOutcome.Requested) s.requestAccess(new AccessAsk(device, "test-client",
          "node", Set.of("system.run"), "Ann\u202Eevil", "macos", "10.0.0.5")))
          .request().requestId();
    }
  }

  String issue() throws Exception {
    try (DeviceStore s = open()) {
      return ((TokenIssue.Issued) s.issueTokenIfNone(device.deviceId(), "node", "test"))
          .secret().reveal();
    }
  }

  TokenCheck check(String token) throws Exception {
    try (DeviceStore s = open()) {
      return s.checkToken(device.deviceId(), "node", Optional.of(token), Set.of());
    }
  }

  @Test
  void item13_pendingApproveListRevokeRotateRemove() throws Exception {
    String id = ask();
    CliRun pending = devices("pending");
    assertThat(pending.exit()).isZero();
    assertThat(pending.out()).contains(id).contains("node").contains("system.run")
        .contains("10.0.0.5").doesNotContain("\u202E")
        .contains("handshake devices approve <REQUEST>");
    JsonNode pj = Json.mapper().readTree(devices("pending", "--json").out());
    assertThat(pj.path("requests")).singleElement().satisfies(
        r -> assertThat(r.path("request_id").stringValue()).isEqualTo(id));

    CliRun approve = devices("approve", id);
    assertThat(approve.exit()).as(approve.err()).isZero();
    assertThat(approve.out()).contains(device.deviceId());
    CliRun again = devices("approve", id);
    assertThat(again.exit()).isEqualTo(DevicesCommand.EXIT_REFUSED);
    assertThat(again.err()).contains("already approved");
    assertThat(devices("pending").out()).contains("No pending device requests.");

    String token = issue();
    CliRun list = devices("list");
    assertThat(list.out()).contains(device.deviceId()).contains("node:live")
        .doesNotContain(token);
    JsonNode lj = Json.mapper().readTree(devices("list", "--json").out());
    assertThat(lj.path("devices")).singleElement().satisfies(d -> {
      assertThat(d.path("roles")).extracting(JsonNode::stringValue).containsExactly("node");
      assertThat(d.path("tokens")).singleElement().satisfies(
          t -> assertThat(t.path("state").stringValue()).isEqualTo("live"));
    });

    assertThat(devices("revoke", device.deviceId(), "node").exit()).isZero();
    assertThat(check(token)).isEqualTo(new TokenCheck.Failed(TokenCheck.Failure.TOKEN_REVOKED));
    assertThat(devices("revoke", device.deviceId(), "node").exit())
        .isEqualTo(DevicesCommand.EXIT_REFUSED);

    CliRun rotate = devices("rotate", device.deviceId(), "node", "--json");
    assertThat(rotate.exit()).as(rotate.err()).isZero();
    String fresh = Json.mapper().readTree(rotate.out()).path("token").stringValue();
    assertThat(check(fresh)).isInstanceOf(TokenCheck.Valid.class);

    assertThat(devices("remove", device.deviceId()).exit()).isZero();
    assertThat(check(fresh)).isEqualTo(new TokenCheck.Failed(TokenCheck.Failure.NOT_PAIRED));
    assertThat(devices("list").out()).contains("No paired devices.");
    assertThat(devices("remove", device.deviceId()).exit()).isEqualTo(DevicesCommand.EXIT_REFUSED);
    assertThat(devices("rotate", device.deviceId(), "node").exit())
        .isEqualTo(DevicesCommand.EXIT_REFUSED);
  }

  @Test
  void rejectIsFinal() throws Exception {
    String id = ask();
    CliRun reject = devices("reject", id);
    assertThat(reject.exit()).as(reject.err()).isZero();
    assertThat(reject.out()).contains("Nothing was granted");
    CliRun late = devices("approve", id);
    assertThat(late.exit()).isEqualTo(DevicesCommand.EXIT_REFUSED);
    assertThat(late.err()).contains("rejected");
    assertThat(devices("approve", "no-such-request").exit()).isEqualTo(DevicesCommand.EXIT_REFUSED);
  }
}
