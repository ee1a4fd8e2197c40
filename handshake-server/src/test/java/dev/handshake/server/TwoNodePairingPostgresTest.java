package dev.handshake.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.json.Json;
import dev.handshake.pairing.PairingConfig;
import dev.handshake.pairing.auth.OperatorTokens;
import dev.handshake.pairing.dpop.DpopConfig;
import dev.handshake.pairing.http.PairingHttpApi;
import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionEngine;
import dev.handshake.store.postgres.EmbeddedPostgres;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Two server nodes sharing one real PostgreSQL for pairing ({@code serve --db}, issue 7): an agent
 * asks node A for access, the owner approves on node B, the agent's token works on both. The
 * nodes share the pepper file (docs/STORES.md "Several nodes"): codes and tokens are stored as
 * HMACs under it.
 */
class TwoNodePairingPostgresTest {
  static EmbeddedPostgres pg;

  @TempDir Path dataA;
  @TempDir Path dataB;
  final List<AutoCloseable> opened = new ArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startPostgres() {
    pg = EmbeddedPostgres.create();
  }

  @AfterAll
  static void stopPostgres() {
    pg.close();
  }

  @AfterEach
  void stopNodes() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  HandshakeServer node(Path data) throws Exception {
    SharedState shared = SharedState.open(Optional.empty(), Optional.of(pg.url()));
    opened.add(shared);
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

  HttpResponse<String> form(URI uri, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anAgentAsksNodeATheOwnerApprovesOnNodeBAndTheTokenWorksOnBoth() throws Exception {
    HandshakeServer a = node(dataA);
    Files.copy(dataA.resolve(ServerPairing.PEPPER_FILE), dataB.resolve(ServerPairing.PEPPER_FILE));
    HandshakeServer b = node(dataB);
    String adminB = Files.readString(dataB.resolve(OperatorTokens.DEFAULT_FILE)).strip();

    HttpResponse<String> started = form(a.baseUri().resolve("/oauth/device_authorization"), "client_id=agent&scope=read");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    JsonNode flow = Json.mapper().readTree(started.body());

    HttpResponse<String> listed = http.send(HttpRequest.newBuilder(b.baseUri().resolve("/v1/pairing/requests"))
        .header("Authorization", "Bearer " + adminB).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(Json.mapper().readTree(listed.body()).path("requests")).as("node B lists node A's request").hasSize(1);
    HttpResponse<String> approved = http.send(HttpRequest.newBuilder(b.baseUri().resolve("/v1/pairing/approve"))
        .header("Authorization", "Bearer " + adminB)
        .POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"" + flow.path("user_code").stringValue() + "\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);

    HttpResponse<String> token = form(a.baseUri().resolve("/oauth/token"),
        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&client_id=agent&device_code="
            + URLEncoder.encode(flow.path("device_code").stringValue(), StandardCharsets.UTF_8));
    assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
    String access = Json.mapper().readTree(token.body()).path("access_token").stringValue();
    for (HandshakeServer node : List.of(a, b)) {
      HttpResponse<String> who = http.send(HttpRequest.newBuilder(node.baseUri().resolve("/v1/pairing/whoami"))
          .header("Authorization", "Bearer " + access).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(who.statusCode()).as(who.body()).isEqualTo(200);
    }
  }
}
