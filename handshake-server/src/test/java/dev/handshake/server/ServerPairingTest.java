package dev.handshake.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.json.Json;
import dev.handshake.pairing.PairingConfig;
import dev.handshake.pairing.auth.OperatorScope;
import dev.handshake.pairing.auth.OperatorTokens;
import dev.handshake.pairing.http.PairingHttpApi;
import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionEngine;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The pairing admin API on the Netty server over real sockets (pairing.md §4 items 5, 9, 16, 17,
 * 21), with the operator token the server generated on first start.
 */
class ServerPairingTest {
  @TempDir Path data;
  HandshakeServer server;
  String admin;
  final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    ServerPairing pairing = ServerPairing.open(data, "127.0.0.1", PairingConfig.defaults(),
        PairingHttpApi.Settings.DEFAULTS, Optional.empty(), Clock.systemUTC());
    SessionConfig config = SessionConfig.defaults();
    server = HandshakeServer.start(
        new ServerConfig("127.0.0.1", 0, Optional.empty(), config, 100, false),
        SessionEngine.builder().config(config).build(), null, null, pairing);
    admin = Files.readString(data.resolve(OperatorTokens.DEFAULT_FILE)).strip();
  }

  @AfterEach
  void stop() {
    server.close();
    client.close();
  }

  HttpResponse<String> call(String method, String path, String body, Optional<String> token)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.baseUri().resolve(path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> asAdmin(String method, String path, String body) throws Exception {
    return call(method, path, body, Optional.of(admin));
  }

  static JsonNode json(HttpResponse<String> r) {
    return Json.mapper().readTree(r.body());
  }

  String requestCode(String sender) throws Exception {
    HttpResponse<String> r = asAdmin("POST", "/v1/pairing/requests",
        "{\"channel\":\"telegram\",\"sender\":\"" + sender + "\",\"display\":{\"name\":\"Ann\"}}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json(r).path("code").stringValue();
  }

  @Test
  void theOperatorTokenIsGeneratedOnFirstStartOwnerOnly() throws IOException {
    assertThat(admin).hasSizeGreaterThanOrEqualTo(OperatorTokens.MIN_LENGTH);
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(data.resolve(OperatorTokens.DEFAULT_FILE)))).isEqualTo("rw-------");
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(data.resolve(ServerPairing.PEPPER_FILE)))).isEqualTo("rw-------");
  }

  @Test
  void item5_aCodeApprovedOverHttpPairsTheSenderItWasIssuedTo() throws Exception {
    String code = requestCode("111");
    requestCode("222");
    HttpResponse<String> list = asAdmin("GET", "/v1/pairing/requests", null);
    assertThat(json(list).path("requests")).hasSize(2);
    assertThat(list.body()).doesNotContain(code).doesNotContain(code.replace("-", ""));
    HttpResponse<String> ok = asAdmin("POST", "/v1/pairing/approve",
        "{\"code\":\"" + code.toLowerCase() + "\",\"sender\":\"222\"}");
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(json(ok).path("grant").path("sender").stringValue()).isEqualTo("111");
    assertThat(json(ok).path("grant").path("approved_by").stringValue()).isEqualTo("operator:default");
    HttpResponse<String> grants = asAdmin("GET", "/v1/pairing/grants", null);
    assertThat(json(grants).path("grants")).singleElement()
        .satisfies(g -> assertThat(g.path("sender").stringValue()).isEqualTo("111"));
    HttpResponse<String> revoke = asAdmin("POST", "/v1/pairing/revoke",
        "{\"channel\":\"telegram\",\"sender\":\"111\"}");
    assertThat(revoke.statusCode()).isEqualTo(200);
    assertThat(json(asAdmin("GET", "/v1/pairing/grants", null)).path("grants")).isEmpty();
    HttpResponse<String> events = asAdmin("GET", "/v1/pairing/events?after=0", null);
    assertThat(json(events).path("events")).extracting(e -> e.path("type").stringValue())
        .containsExactly("pairing.requested", "pairing.requested", "pairing.approved", "pairing.revoked");
  }

  @Test
  void item7_denyOverHttpIsTerminal() throws Exception {
    String code = requestCode("111");
    assertThat(asAdmin("POST", "/v1/pairing/deny", "{\"code\":\"" + code + "\"}").statusCode()).isEqualTo(200);
    HttpResponse<String> again = asAdmin("POST", "/v1/pairing/approve", "{\"code\":\"" + code + "\"}");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(json(again).path("error").stringValue()).isEqualTo("request_denied");
  }

  @Test
  void item9_praisonaiApproveAnswers404For401For403And429() throws Exception {
    HttpResponse<String> none = call("POST", "/api/pairing/approve",
        "{\"channel\":\"telegram\",\"code\":\"AAAA-AAAA\"}", Optional.empty());
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"handshake\"");
    assertThat(json(none).path("error").stringValue()).isEqualTo("unauthorized");

    HttpResponse<String> bad = call("POST", "/api/pairing/approve",
        "{\"channel\":\"telegram\",\"code\":\"AAAA-AAAA\"}", Optional.of("x".repeat(40)));
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(bad.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");

    String reader = OperatorTokens.addScoped(data, "reader", Set.of(OperatorScope.READ), new SecureRandom()).reveal();
    restartWithSameData();
    HttpResponse<String> forbidden = call("POST", "/api/pairing/approve",
        "{\"channel\":\"telegram\",\"code\":\"AAAA-AAAA\"}", Optional.of(reader));
    assertThat(forbidden.statusCode()).isEqualTo(403);
    assertThat(forbidden.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("error=\"insufficient_scope\"").contains("scope=\"pairing\"");
    assertThat(call("GET", "/api/pairing/pending", null, Optional.of(reader)).statusCode()).isEqualTo(200);

    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      statuses.add(asAdmin("POST", "/api/pairing/approve",
          "{\"channel\":\"telegram\",\"code\":\"AAAA-AAAA\"}").statusCode());
    }
    assertThat(statuses).as("invalid codes are 404").containsOnly(404);
    HttpResponse<String> limited = asAdmin("POST", "/api/pairing/approve",
        "{\"channel\":\"telegram\",\"code\":\"AAAA-AAAA\"}");
    assertThat(limited.statusCode()).isEqualTo(429);
    long retry = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
    assertThat(retry).isBetween(1L, 60L);
    assertThat(json(limited).path("retry_after_seconds").asLong()).isEqualTo(retry);
  }

  @Test
  void item9_praisonaiApproveAndRevokePairTheBoundSender() throws Exception {
    String code = requestCode("777");
    HttpResponse<String> ok = asAdmin("POST", "/api/pairing/approve",
        "{\"channel\":\"telegram\",\"code\":\"" + code.replace("-", "") + "\"}");
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(json(asAdmin("GET", "/api/pairing/pending", null)).path("pending")).isEmpty();
    assertThat(asAdmin("POST", "/api/pairing/revoke", "{\"channel\":\"telegram\",\"user_id\":\"777\"}")
        .statusCode()).isEqualTo(200);
    assertThat(asAdmin("POST", "/api/pairing/revoke", "{\"channel\":\"telegram\",\"user_id\":\"777\"}")
        .statusCode()).isEqualTo(404);
  }

  @Test
  void item17_aTokenInTheQueryIsRefusedAndAnswersAreNotCached() throws Exception {
    HttpResponse<String> r = call("GET", "/v1/pairing/requests?token=" + admin, null, Optional.empty());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).path("error").stringValue()).isEqualTo("invalid_request");
    assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
    assertThat(r.body()).doesNotContain(admin);
    HttpResponse<String> access = call("GET", "/v1/pairing/requests?access_token=" + admin, null, Optional.of(admin));
    assertThat(access.statusCode()).isEqualTo(400);
  }

  @Test
  void badInputGetsSpecificJsonErrors() throws Exception {
    assertThat(asAdmin("POST", "/v1/pairing/approve", "not json").statusCode()).isEqualTo(400);
    HttpResponse<String> both = asAdmin("POST", "/v1/pairing/approve", "{\"code\":\"AAAA-AAAA\",\"request_id\":\"x\"}");
    assertThat(both.statusCode()).isEqualTo(400);
    assertThat(json(both).path("message").stringValue()).contains("exactly one");
    assertThat(asAdmin("POST", "/v1/pairing/approve", "{\"code\":\"0000\"}").statusCode()).isEqualTo(400);
    assertThat(asAdmin("DELETE", "/v1/pairing/grants", null).statusCode()).isEqualTo(405);
    assertThat(asAdmin("GET", "/v1/pairing/nothing", null).statusCode()).isEqualTo(404);
    HttpResponse<String> missing = asAdmin("POST", "/v1/pairing/requests", "{\"channel\":\"telegram\"}");
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
    assertThat(asAdmin("POST", "/v1/pairing/requests",
        "{\"channel\":\"t\",\"sender\":\"s\",\"display\":{\"name\":\"" + "x".repeat(20_000) + "\"}}")
        .statusCode()).isEqualTo(413);
  }

  @Test
  void item16_startupRefusesAnExternalBindWithoutAStrongSecret() {
    Path fresh = data.resolve("fresh");
    assertThatThrownBy(() -> ServerPairing.open(fresh, "0.0.0.0", PairingConfig.defaults(),
        PairingHttpApi.Settings.DEFAULTS, Optional.empty(), Clock.systemUTC()))
        .isInstanceOf(IOException.class).hasMessageContaining("without an operator token");
    assertThatThrownBy(() -> ServerPairing.open(fresh, "0.0.0.0", PairingConfig.defaults(),
        PairingHttpApi.Settings.DEFAULTS, Optional.of("change-me"), Clock.systemUTC()))
        .isInstanceOf(IOException.class).hasMessageContaining("well-known placeholder");
    assertThatThrownBy(() -> ServerPairing.open(fresh, "0.0.0.0", PairingConfig.defaults(),
        PairingHttpApi.Settings.DEFAULTS, Optional.of("short-secret"), Clock.systemUTC()))
        .isInstanceOf(IOException.class).hasMessageContaining("shorter than");
    assertThat(Files.exists(fresh.resolve(OperatorTokens.DEFAULT_FILE))).as("nothing generated").isFalse();
  }

  @Test
  void item21_theCliInAnotherProcessAndTheServerApproveOneCodeOnce() throws Exception {
    for (int round = 0; round < 3; round++) {
      String code = requestCode("race" + round);
      Process cli = new ProcessBuilder(javaBin(), "-cp", System.getProperty("java.class.path"),
          "dev.handshake.server.cli.HandshakeCommand", "pair", "approve", code, "--data", data.toString())
          .redirectErrorStream(true).start();
      HttpResponse<String> http = asAdmin("POST", "/v1/pairing/approve", "{\"code\":\"" + code + "\"}");
      assertThat(cli.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String cliOut = new String(cli.getInputStream().readAllBytes());
      boolean cliApproved = cli.exitValue() == 0;
      boolean httpApproved = http.statusCode() == 200;
      assertThat(cliApproved ^ httpApproved)
          .as("exactly one approval: cli %s (%s), http %s (%s)", cli.exitValue(), cliOut,
              http.statusCode(), http.body())
          .isTrue();
      if (!cliApproved) {
        assertThat(cliOut).contains("already approved");
      } else {
        assertThat(json(http).path("error").stringValue()).isEqualTo("already_approved");
      }
    }
    JsonNode events = json(asAdmin("GET", "/v1/pairing/events?after=0", null)).path("events");
    assertThat(events).filteredOn(e -> e.path("type").stringValue().equals("pairing.approved")).hasSize(3);
    assertThat(json(asAdmin("GET", "/v1/pairing/grants", null)).path("grants")).hasSize(3);
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private void restartWithSameData() throws Exception {
    server.close();
    ServerPairing pairing = ServerPairing.open(data, "127.0.0.1", PairingConfig.defaults(),
        PairingHttpApi.Settings.DEFAULTS, Optional.empty(), Clock.systemUTC());
    SessionConfig config = SessionConfig.defaults();
    server = HandshakeServer.start(
        new ServerConfig("127.0.0.1", 0, Optional.empty(), config, 100, false),
        SessionEngine.builder().config(config).build(), null, null, pairing);
  }
}
