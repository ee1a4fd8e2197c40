package dev.handshake.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.json.Json;
import dev.handshake.pairing.PairingConfig;
import dev.handshake.pairing.auth.InMemorySessionBinding;
import dev.handshake.pairing.auth.OperatorTokens;
import dev.handshake.pairing.http.PairingHttpApi;
import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionEngine;
import dev.handshake.session.SessionHooks;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The README story over real sockets (pairing.md §4 item 19, issue 6 "Done when"): a headless
 * agent starts the RFC 8628 flow, the owner approves its user code, the agent gets its token,
 * uses it to create a session that requires a paired principal, and loses it on revoke.
 */
class ServerDeviceFlowTest {
  @TempDir Path data;

  static HttpResponse<String> form(HttpClient c, java.net.URI uri, String body) throws Exception {
    return c.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void item19_anAgentAsksTheOwnerApprovesTheAgentGetsItsTokenAndLosesItOnRevoke() throws Exception {
    ServerPairing pairing = ServerPairing.open(data, "127.0.0.1", PairingConfig.defaults(),
        PairingHttpApi.Settings.DEFAULTS, Optional.empty(), Clock.systemUTC());
    InMemorySessionBinding binding = new InMemorySessionBinding(100);
    SessionConfig config = SessionConfig.defaults();
    SessionEngine engine = SessionEngine.builder().config(config)
        .hooks(SessionHooks.builder()
            .onCreateSession(new PairedSessionGate(pairing.accessTokens(), binding)).build())
        .build();
    try (HandshakeServer server = HandshakeServer.start(
            new ServerConfig("127.0.0.1", 0, Optional.empty(), config, 100, false), engine, null, null, pairing);
        HttpClient c = HttpClient.newHttpClient()) {
      String admin = Files.readString(data.resolve(OperatorTokens.DEFAULT_FILE)).strip();
      HttpResponse<String> start = form(c, server.baseUri().resolve("/oauth/device_authorization"),
          "client_id=test-agent&scope=read");
      assertThat(start.statusCode()).as(start.body()).isEqualTo(200);
      assertThat(start.headers().firstValue("Cache-Control")).contains("no-store");
      JsonNode a = Json.mapper().readTree(start.body());
      String userCode = a.path("user_code").stringValue();
      String deviceCode = a.path("device_code").stringValue();
      assertThat(userCode).matches("[A-Z2-9]{4}-[A-Z2-9]{4}");
      assertThat(a.path("verification_uri").stringValue()).isEqualTo(server.baseUri() + "/device");
      assertThat(a.path("verification_uri_complete").stringValue()).endsWith("/device?user_code=" + userCode);
      assertThat(a.path("expires_in").asLong()).isEqualTo(3600);
      assertThat(a.path("interval").asLong()).isEqualTo(5);

      String poll = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&client_id=test-agent&device_code="
          + java.net.URLEncoder.encode(deviceCode, java.nio.charset.StandardCharsets.UTF_8);
      HttpResponse<String> pending = form(c, server.baseUri().resolve("/oauth/token"), poll);
      assertThat(pending.statusCode()).isEqualTo(400);
      assertThat(Json.mapper().readTree(pending.body()).path("error").stringValue()).isEqualTo("authorization_pending");

      HttpResponse<String> page = c.send(HttpRequest.newBuilder(
          java.net.URI.create(a.path("verification_uri_complete").stringValue())).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("A device is asking for access").contains(userCode)
          .contains("handshake pair approve " + userCode);

      HttpResponse<String> listed = c.send(HttpRequest.newBuilder(server.baseUri().resolve("/v1/pairing/requests"))
          .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(Json.mapper().readTree(listed.body()).path("requests")).singleElement()
          .satisfies(r -> assertThat(r.path("channel").stringValue()).isEqualTo("device-flow"));
      HttpResponse<String> approved = c.send(HttpRequest.newBuilder(server.baseUri().resolve("/v1/pairing/approve"))
          .header("Authorization", "Bearer " + admin)
          .POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"" + userCode + "\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);

      Thread.sleep(5_100); // the agent waits its polling interval, as RFC 8628 §3.5 asks
      HttpResponse<String> issued = form(c, server.baseUri().resolve("/oauth/token"), poll);
      assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
      JsonNode t = Json.mapper().readTree(issued.body());
      String token = t.path("access_token").stringValue();
      assertThat(t.path("token_type").stringValue()).isEqualTo("Bearer");
      assertThat(t.path("scope").stringValue()).isEqualTo("read");
      Thread.sleep(5_100);
      HttpResponse<String> twice = form(c, server.baseUri().resolve("/oauth/token"), poll);
      assertThat(Json.mapper().readTree(twice.body()).path("error").stringValue()).isEqualTo("invalid_grant");

      HttpResponse<String> who = c.send(HttpRequest.newBuilder(server.baseUri().resolve("/v1/pairing/whoami"))
          .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(who.statusCode()).as(who.body()).isEqualTo(200);
      String principal = Json.mapper().readTree(who.body()).path("principal").stringValue();
      assertThat(principal).startsWith("device-flow:test-agent:");

      HttpRequest.Builder create = HttpRequest.newBuilder(server.baseUri().resolve("/handshake/session"))
          .header("Content-Type", "application/json").header("Origin", server.baseUri().toString())
          .POST(HttpRequest.BodyPublishers.ofString("{\"mode\":\"default\"}"));
      HttpResponse<String> session = c.send(create.copy().header("Authorization", "Bearer " + token).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(session.statusCode()).as(session.body()).isEqualTo(200);
      String sid = Json.mapper().readTree(session.body()).path("sessionId").stringValue();
      assertThat(binding.lookup(sid).orElseThrow().id()).isEqualTo(principal);

      String sender = principal.substring(principal.lastIndexOf(':') + 1);
      HttpResponse<String> revoked = c.send(HttpRequest.newBuilder(server.baseUri().resolve("/v1/pairing/revoke"))
          .header("Authorization", "Bearer " + admin)
          .POST(HttpRequest.BodyPublishers.ofString(
              "{\"channel\":\"device-flow\",\"account\":\"test-agent\",\"sender\":\"" + sender + "\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
      HttpResponse<String> after = c.send(HttpRequest.newBuilder(server.baseUri().resolve("/v1/pairing/whoami"))
          .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(after.statusCode()).isEqualTo(401);
      assertThat(after.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token");
      assertThat(c.send(create.copy().header("Authorization", "Bearer " + token).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
    }
  }

  @Test
  void badRequestsToTheFlowGetOauthErrors() throws Exception {
    ServerPairing pairing = ServerPairing.open(data, "127.0.0.1", PairingConfig.defaults(),
        PairingHttpApi.Settings.DEFAULTS, Optional.empty(), Clock.systemUTC());
    SessionConfig config = SessionConfig.defaults();
    try (HandshakeServer server = HandshakeServer.start(
            new ServerConfig("127.0.0.1", 0, Optional.empty(), config, 100, false),
            SessionEngine.builder().config(config).build(), null, null, pairing);
        HttpClient c = HttpClient.newHttpClient()) {
      HttpResponse<String> noClient = form(c, server.baseUri().resolve("/oauth/device_authorization"), "scope=read");
      assertThat(noClient.statusCode()).isEqualTo(400);
      assertThat(Json.mapper().readTree(noClient.body()).path("error").stringValue()).isEqualTo("invalid_request");
      HttpResponse<String> json = c.send(HttpRequest.newBuilder(server.baseUri().resolve("/oauth/token"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(json.statusCode()).isEqualTo(400);
      HttpResponse<String> grant = form(c, server.baseUri().resolve("/oauth/token"), "grant_type=password&device_code=x");
      assertThat(Json.mapper().readTree(grant.body()).path("error").stringValue()).isEqualTo("unsupported_grant_type");
      HttpResponse<String> unknown = form(c, server.baseUri().resolve("/oauth/token"),
          "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=nope");
      assertThat(Json.mapper().readTree(unknown.body()).path("error").stringValue()).isEqualTo("invalid_grant");
      assertThat(c.send(HttpRequest.newBuilder(server.baseUri().resolve("/oauth/token")).GET().build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
      HttpResponse<String> who = c.send(HttpRequest.newBuilder(server.baseUri().resolve("/v1/pairing/whoami")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(who.statusCode()).isEqualTo(401);
      assertThat(who.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer realm=\"handshake\"");
    }
  }
}
