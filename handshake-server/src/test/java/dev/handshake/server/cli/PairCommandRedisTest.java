package dev.handshake.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.json.Json;
import dev.handshake.pairing.PairingConfig;
import dev.handshake.pairing.PairingStore;
import dev.handshake.pairing.RequestOutcome;
import dev.handshake.pairing.Requester;
import dev.handshake.pairing.device.AccessAsk;
import dev.handshake.pairing.device.AccessOutcome;
import dev.handshake.pairing.device.DeviceIdentity;
import dev.handshake.pairing.device.DevicePairingConfig;
import dev.handshake.pairing.device.DeviceStore;
import dev.handshake.pairing.device.TokenCheck;
import dev.handshake.pairing.device.TokenIssue;
import dev.handshake.pairing.dpop.DpopConfig;
import dev.handshake.pairing.http.PairingHttpApi;
import dev.handshake.server.HandshakeServer;
import dev.handshake.server.ServerConfig;
import dev.handshake.server.ServerPairing;
import dev.handshake.server.SharedState;
import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionEngine;
import dev.handshake.store.postgres.PostgresServer;
import dev.handshake.store.redis.EmbeddedRedis;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code handshake pair … --redis} and {@code handshake devices … --redis} on the pairing state a
 * node keeps in a real Redis ({@code serve --redis} without {@code --db}, issue 7), with {@code
 * serve}'s precedence when {@code --db} is given too, and the approval-attempt limit counted in
 * Redis across separate CLI runs.
 */
class PairCommandRedisTest {
  @RegisterExtension static final PostgresServer POSTGRES = new PostgresServer();
  /** The real clock: requests made by a node expire by it. */
  static final CommandEnvironment ENV =
      new CommandEnvironment(name -> null, SecretPrompt.none(), Clock.systemUTC(),
          new SecureRandom());
  static EmbeddedRedis redis;

  @TempDir Path data;
  final List<AutoCloseable> opened = new ArrayList<>();
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

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
    POSTGRES.truncate("pairing_request", "pairing_grant", "pairing_event", "pairing_pepper_check");
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
    http.close();
  }

  SharedState onRedis() throws Exception {
    SharedState shared = SharedState.open(Optional.of(redis.url()), Optional.empty());
    opened.add(shared);
    return shared;
  }

  /** A node as {@code serve --redis URL --data data} builds it (pairing in Redis). */
  HandshakeServer node() throws Exception {
    SharedState shared = onRedis();
    ServerPairing pairing = ServerPairing.open(data, "127.0.0.1", PairingConfig.defaults(),
        PairingHttpApi.Settings.DEFAULTS, Optional.empty(), Optional.empty(), Set.of(),
        DpopConfig.defaults(), shared, Clock.systemUTC());
    SessionConfig config = SessionConfig.defaults();
    HandshakeServer server = HandshakeServer.start(
        new ServerConfig("127.0.0.1", 0, Optional.empty(), config, 100, false),
        SessionEngine.builder().config(config).build(), null, null, pairing);
    opened.add(0, server);
    return server;
  }

  CliRun cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--data", data.toString()));
    return CliRun.execute(ENV, all.toArray(String[]::new));
  }

  HttpResponse<String> post(HandshakeServer node, String path, String form) throws Exception {
    return http.send(HttpRequest.newBuilder(node.baseUri().resolve(path))
            .timeout(Duration.ofSeconds(15))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aDeviceFlowRequestOfANodeOnRedisIsListedAndApprovedByPairWithRedisAndTheTokenWorks()
      throws Exception {
    HandshakeServer node = node();
    HttpResponse<String> started =
        post(node, "/oauth/device_authorization", "client_id=agent&scope=read");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    JsonNode flow = Json.mapper().readTree(started.body());
    String userCode = flow.path("user_code").stringValue();
    assertThat(data.resolve("pairing.db")).as("the node keeps nothing in SQLite").doesNotExist();

    CliRun onSqlite = cli("pair", "list", "--json");
    assertThat(onSqlite.out())
        .as("without --redis the CLI reads the SQLite file in --data")
        .doesNotContain("device-flow");
    CliRun list = cli("pair", "list", "--json", "--redis", redis.url());
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(Json.mapper().readTree(list.out()).path("requests"))
        .singleElement()
        .satisfies(r -> assertThat(r.path("channel").stringValue()).isEqualTo("device-flow"));
    assertThat(list.out()).doesNotContain(userCode);
    CliRun approve = cli("pair", "approve", userCode, "--redis", redis.url());
    assertThat(approve.exit()).as(approve.err()).isZero();
    assertThat(approve.out()).contains("Approved:");

    HttpResponse<String> token = post(node, "/oauth/token",
        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&client_id=agent"
            + "&device_code="
            + URLEncoder.encode(flow.path("device_code").stringValue(), StandardCharsets.UTF_8));
    assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
    String access = Json.mapper().readTree(token.body()).path("access_token").stringValue();
    HttpResponse<String> who = http.send(
        HttpRequest.newBuilder(node.baseUri().resolve(PairingHttpApi.ROOT + "/whoami"))
            .timeout(Duration.ofSeconds(15)).header("Authorization", "Bearer " + access).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(who.statusCode()).as(who.body()).isEqualTo(200);
  }

  @Test
  void aDeviceRequestOfANodeOnRedisIsApprovedByDevicesWithRedisAndItsTokenWorks()
      throws Exception {
    DeviceIdentity device =
        DeviceIdentity.of(Ed25519PrivateKey.generate(new SecureRandom()).publicKey());
    DeviceStore onNode = ServerPairing.openDeviceStore(data, DevicePairingConfig.defaults(),
        onRedis(), Clock.systemUTC());
    opened.add(0, onNode);
    String requestId = ((AccessOutcome.Requested) onNode.requestAccess(new AccessAsk(device,
        "test-client", "node", Set.of("system.run"), "Ann's laptop", "linux", "127.0.0.1")))
        .request().requestId();

    CliRun pending = cli("devices", "pending", "--redis", redis.url());
    assertThat(pending.exit()).as(pending.err()).isZero();
    assertThat(pending.out()).contains(requestId);
    CliRun approve = cli("devices", "approve", requestId, "--redis", redis.url());
    assertThat(approve.exit()).as(approve.err()).isZero();

    String token = ((TokenIssue.Issued) onNode.issueTokenIfNone(device.deviceId(), "node", "test"))
        .secret().reveal();
    assertThat(onNode.checkToken(device.deviceId(), "node", Optional.of(token), Set.of()))
        .isInstanceOf(TokenCheck.Valid.class);
    CliRun list = cli("devices", "list", "--redis", redis.url());
    assertThat(list.out()).contains(device.deviceId()).contains("node:live");
  }

  @Test
  void withRedisAndDbThePairVerbsUseThePostgresDatabaseAsServeDoes() throws Exception {
    RequestOutcome.Created ann;
    try (SharedState both =
            SharedState.open(Optional.of(redis.url()), Optional.of(POSTGRES.pg().url()));
        PairingStore s = ServerPairing.openStore(data, ServeCommand.pairingConfig(3600), both,
            Clock.systemUTC())) {
      ann = (RequestOutcome.Created)
          s.request(Requester.of("telegram", "111"), Map.of(), Optional.empty());
    }

    CliRun redisAlone = cli("pair", "list", "--redis", redis.url());
    assertThat(redisAlone.exit()).as(redisAlone.err()).isZero();
    assertThat(redisAlone.out()).doesNotContain(ann.request().requestId());
    CliRun both = cli("pair", "list", "--redis", redis.url(), "--db", POSTGRES.pg().url());
    assertThat(both.exit()).as(both.err()).isZero();
    assertThat(both.out()).contains(ann.request().requestId());
    assertThat(both.out() + both.err()).doesNotContain(POSTGRES.pg().password());
  }

  @Test
  void approvalAttemptsOfSeparatePairRunsWithRedisAddUpToTheLimit() {
    int limit = PairingConfig.defaults().attemptsPerWindow();
    for (int i = 0; i < limit; i++) {
      CliRun attempt = cli("pair", "approve", "K7QX-M2PA", "--redis", redis.url());
      assertThat(attempt.exit()).as("attempt %d", i + 1).isEqualTo(PairCommand.EXIT_REFUSED);
      assertThat(attempt.err()).as("attempt %d", i + 1).doesNotContain("too many");
    }

    CliRun over = cli("pair", "approve", "K7QX-M2PA", "--redis", redis.url());
    assertThat(over.exit()).isEqualTo(PairCommand.EXIT_REFUSED);
    assertThat(over.err()).contains("too many approval attempts");
  }

  @Test
  void pairAndDevicesWithAnotherPepperThanTheNodesAreRefused() throws Exception {
    node(); // records the fingerprint of data's pepper in Redis
    Path other = Files.createTempDirectory(data, "operator");

    for (String verb : List.of("pair", "devices")) {
      CliRun refused = CliRun.execute(ENV, verb, "list", "--data", other.toString(),
          "--redis", redis.url());
      assertThat(refused.exit()).as(verb).isEqualTo(2);
      assertThat(refused.err())
          .contains(other.resolve("pairing.pepper") + " is not the pepper of the nodes")
          .contains("Redis at " + redis.url());
    }
  }
}
