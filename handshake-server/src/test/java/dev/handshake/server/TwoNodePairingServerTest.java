package dev.handshake.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.json.Json;
import dev.handshake.pairing.PairingConfig;
import dev.handshake.pairing.auth.OperatorTokens;
import dev.handshake.pairing.dpop.DpopConfig;
import dev.handshake.pairing.http.PairingHttpApi;
import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionEngine;
import dev.handshake.store.redis.EmbeddedRedis;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Two server nodes over real sockets sharing one real Redis for pairing too ({@code serve --redis}
 * without {@code --db}; issue 7 "pairing requests and grants"): a device flow started on node A is
 * approved through node B's admin API, and its token works on either node until it is revoked on
 * one of them; approval attempts on both nodes count against one limit (in Redis). The nodes share
 * the data folder's pepper (the file copied, as a deployment would), but no data folder: nothing of
 * pairing is written to SQLite.
 */
class TwoNodePairingServerTest {
  static final String DEVICE_CODE_GRANT = "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code";
  static EmbeddedRedis redis;

  @TempDir Path dataA;
  @TempDir Path dataB;
  final List<AutoCloseable> opened = new ArrayList<>();
  final SessionConfig config = SessionConfig.defaults();
  HandshakeServer nodeA;
  HandshakeServer nodeB;
  String adminA;
  String adminB;
  HttpClient http;

  @BeforeAll
  static void startRedis() {
    redis = EmbeddedRedis.startOnFreePort();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  HandshakeServer node(Path data) throws Exception {
    SharedState shared = SharedState.open(Optional.of(redis.url()), Optional.empty());
    opened.add(shared);
    ServerPairing pairing =
        ServerPairing.open(
            data,
            "127.0.0.1",
            PairingConfig.defaults(),
            PairingHttpApi.Settings.DEFAULTS,
            Optional.empty(),
            Optional.empty(),
            Set.of(),
            DpopConfig.defaults(),
            shared,
            Clock.systemUTC());
    SessionEngine engine =
        shared.sessions(SessionEngine.builder().config(config), Clock.systemUTC()).build();
    HandshakeServer server =
        HandshakeServer.start(
            new ServerConfig("127.0.0.1", 0, Optional.empty(), config, 100, false),
            engine,
            null,
            null,
            pairing);
    opened.add(0, server);
    return server;
  }

  @BeforeEach
  void startNodes() throws Exception {
    redis.flushAll();
    nodeA = node(dataA);
    // every node of a deployment hashes codes and tokens with the same pepper
    Files.copy(
        dataA.resolve(ServerPairing.PEPPER_FILE),
        dataB.resolve(ServerPairing.PEPPER_FILE),
        StandardCopyOption.COPY_ATTRIBUTES);
    nodeB = node(dataB);
    adminA = Files.readString(dataA.resolve(OperatorTokens.DEFAULT_FILE)).strip();
    adminB = Files.readString(dataB.resolve(OperatorTokens.DEFAULT_FILE)).strip();
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void stopNodes() throws Exception {
    http.close();
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  @Test
  void aDeviceFlowStartedOnNodeAIsApprovedOnNodeBAndItsTokenWorksOnNodeA() throws Exception {
    HttpResponse<String> start =
        form(nodeA, "/oauth/device_authorization", "client_id=test-agent&scope=read");
    assertThat(start.statusCode()).as(start.body()).isEqualTo(200);
    JsonNode flow = Json.mapper().readTree(start.body());
    String userCode = flow.path("user_code").stringValue();
    String poll =
        "grant_type="
            + DEVICE_CODE_GRANT
            + "&client_id=test-agent&device_code="
            + URLEncoder.encode(flow.path("device_code").stringValue(), StandardCharsets.UTF_8);

    JsonNode listedOnB =
        Json.mapper().readTree(admin(nodeB, adminB, "GET", "/requests", "").body());
    assertThat(listedOnB.path("requests"))
        .as("node B sees node A's request")
        .singleElement()
        .satisfies(r -> assertThat(r.path("channel").stringValue()).isEqualTo("device-flow"));
    HttpResponse<String> approved =
        admin(nodeB, adminB, "POST", "/approve", "{\"code\":\"" + userCode + "\"}");
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);

    HttpResponse<String> issued = form(nodeA, "/oauth/token", poll);
    assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
    String token = Json.mapper().readTree(issued.body()).path("access_token").stringValue();

    HttpResponse<String> whoOnA = whoami(nodeA, token);
    assertThat(whoOnA.statusCode()).as(whoOnA.body()).isEqualTo(200);
    assertThat(Json.mapper().readTree(whoOnA.body()).path("principal").stringValue())
        .startsWith("device-flow:test-agent:");
    assertThat(whoami(nodeB, token).statusCode()).as("and on node B").isEqualTo(200);
    assertThat(dataA.resolve("pairing.db"))
        .as("pairing lives in Redis, not in SQLite")
        .doesNotExist();
    assertThat(dataA.resolve("pairing-flow.db")).doesNotExist();
  }

  @Test
  void aTokenIssuedOnNodeAIsIssuedOnceAndRevokedOnNodeBStopsWorkingOnNodeA() throws Exception {
    HttpResponse<String> start =
        form(nodeA, "/oauth/device_authorization", "client_id=cli&scope=read");
    JsonNode flow = Json.mapper().readTree(start.body());
    String poll =
        "grant_type="
            + DEVICE_CODE_GRANT
            + "&client_id=cli&device_code="
            + URLEncoder.encode(flow.path("device_code").stringValue(), StandardCharsets.UTF_8);
    assertThat(
            admin(
                    nodeA,
                    adminA,
                    "POST",
                    "/approve",
                    "{\"code\":\"" + flow.path("user_code").stringValue() + "\"}")
                .statusCode())
        .isEqualTo(200);
    HttpResponse<String> issued = form(nodeA, "/oauth/token", poll);
    String token = Json.mapper().readTree(issued.body()).path("access_token").stringValue();
    String principal =
        Json.mapper().readTree(whoami(nodeA, token).body()).path("principal").stringValue();

    HttpResponse<String> again = form(nodeB, "/oauth/token", poll);
    assertThat(Json.mapper().readTree(again.body()).path("error").stringValue())
        .as("the device code was spent on node A")
        .isEqualTo("invalid_grant");

    String sender = principal.substring(principal.lastIndexOf(':') + 1);
    HttpResponse<String> revoked =
        admin(
            nodeB,
            adminB,
            "POST",
            "/revoke",
            "{\"channel\":\"device-flow\",\"account\":\"cli\",\"sender\":\"" + sender + "\"}");
    assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
    assertThat(whoami(nodeA, token).statusCode()).isEqualTo(401);
  }

  @Test
  void approvalAttemptsOnNodeAAndNodeBAddUpToTheOneLimit() throws Exception {
    // one source address (127.0.0.1) approving a code nobody was given, alternately on A and B:
    // each node's HTTP limiter sees only half, the pairing limit counted in Redis sees all
    String wrong = "{\"code\":\"K7QX-M2PA\"}";
    int limit = PairingConfig.defaults().attemptsPerWindow();
    for (int i = 0; i < limit; i++) {
      HttpResponse<String> attempt =
          i % 2 == 0
              ? admin(nodeA, adminA, "POST", "/approve", wrong)
              : admin(nodeB, adminB, "POST", "/approve", wrong);
      assertThat(attempt.statusCode()).as("attempt %d: %s", i + 1, attempt.body()).isEqualTo(404);
    }

    for (HandshakeServer node : List.of(nodeA, nodeB)) {
      HttpResponse<String> over =
          admin(node, node == nodeA ? adminA : adminB, "POST", "/approve", wrong);
      assertThat(over.statusCode())
          .as("attempt %d, on node %s: %s", limit + 1, node == nodeA ? "A" : "B", over.body())
          .isEqualTo(429);
      assertThat(over.headers().firstValue("Retry-After")).isPresent();
    }
  }

  HttpResponse<String> form(HandshakeServer node, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(node.baseUri().resolve(path))
            .timeout(Duration.ofSeconds(15))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> admin(
      HandshakeServer node, String operator, String method, String path, String body)
      throws Exception {
    URI uri = node.baseUri().resolve(PairingHttpApi.ROOT + path);
    HttpRequest.BodyPublisher publisher =
        method.equals("GET")
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body);
    return http.send(
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(15))
            .header("Authorization", "Bearer " + operator)
            .method(method, publisher)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> whoami(HandshakeServer node, String token) throws Exception {
    return http.send(
        HttpRequest.newBuilder(node.baseUri().resolve(PairingHttpApi.ROOT + "/whoami"))
            .timeout(Duration.ofSeconds(15))
            .header("Authorization", "Bearer " + token)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
