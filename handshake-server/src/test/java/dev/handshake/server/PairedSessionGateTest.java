package dev.handshake.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.json.Json;
import dev.handshake.pairing.auth.AuthProtocol;
import dev.handshake.pairing.auth.AuthResult;
import dev.handshake.pairing.auth.BearerCredentials;
import dev.handshake.pairing.auth.InMemorySessionBinding;
import dev.handshake.pairing.auth.Principal;
import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionEngine;
import dev.handshake.session.SessionHooks;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Sessions that require a paired principal, over real sockets (issue 6 "Session binding"). */
class PairedSessionGateTest {
  static final Principal ANN = new Principal("telegram:default:111", "paired", Set.of(), Map.of());

  /** Accepts exactly one token, as a paired principal's access token would be. */
  static final AuthProtocol ONE_TOKEN = request -> switch (BearerCredentials.read(request)) {
    case BearerCredentials.Read.Token t when t.value().equals("paired-token-of-ann") -> new AuthResult.Authenticated(ANN);
    case BearerCredentials.Read.Token t -> new AuthResult.InvalidToken("unknown");
    case BearerCredentials.Read.Absent a -> AuthResult.NO_CREDENTIALS;
    case BearerCredentials.Read.Malformed m -> new AuthResult.InvalidRequest(m.description());
  };

  @Test
  void onlyAPairedPrincipalCreatesASessionAndItIsBoundToIt() throws Exception {
    InMemorySessionBinding binding = new InMemorySessionBinding(100);
    SessionConfig config = SessionConfig.defaults();
    SessionEngine engine = SessionEngine.builder().config(config)
        .hooks(SessionHooks.builder().onCreateSession(new PairedSessionGate(ONE_TOKEN, binding)).build())
        .build();
    try (HandshakeServer server = HandshakeServer.start(
            new ServerConfig("127.0.0.1", 0, Optional.empty(), config, 100, false), engine);
        HttpClient client = HttpClient.newHttpClient()) {
      HttpRequest.Builder create = HttpRequest.newBuilder(server.baseUri().resolve("/handshake/session"))
          .header("Content-Type", "application/json")
          .header("Origin", server.baseUri().toString())
          .POST(HttpRequest.BodyPublishers.ofString("{\"mode\":\"default\"}"));
      HttpResponse<String> anonymous = client.send(create.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(403);
      assertThat(anonymous.body()).contains("paired principal");
      HttpResponse<String> wrong = client.send(create.copy().header("Authorization", "Bearer nope").build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(wrong.statusCode()).isEqualTo(403);
      HttpResponse<String> ok = client.send(
          create.copy().header("Authorization", "Bearer paired-token-of-ann").build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
      String sid = Json.mapper().readTree(ok.body()).path("sessionId").stringValue();
      assertThat(binding.lookup(sid)).contains(ANN);
    }
  }
}
