package dev.handshake.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.json.Json;
import dev.handshake.pairing.PairingConfig;
import dev.handshake.pairing.auth.InMemorySessionBinding;
import dev.handshake.pairing.auth.OperatorTokens;
import dev.handshake.pairing.dpop.DpopConfig;
import dev.handshake.pairing.dpop.DpopKey;
import dev.handshake.pairing.http.PairingHttpApi;
import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionEngine;
import dev.handshake.session.SessionHooks;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * DPoP (RFC 9449) over real sockets: a device flow started with a proof yields a token bound to
 * that key, usable only as {@code Authorization: DPoP} with a fresh proof made with that key for
 * that request (pairing.md §2 "RFC 9449", §3.2 rule 8; issue 6 "DPoP-style proof of possession").
 */
class ServerDpopTest {
  static final String GRANT = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code";
  @TempDir Path data;
  final SecureRandom random = new SecureRandom();
  final DpopKey key = DpopKey.generate(random);
  final HttpClient c = HttpClient.newHttpClient();

  record Running(HandshakeServer server, InMemorySessionBinding binding, String admin) implements AutoCloseable {
    URI uri(String path) {
      return server.baseUri().resolve(path);
    }

    @Override
    public void close() {
      server.close();
    }
  }

  Running start(DpopConfig dpop) throws Exception {
    ServerPairing pairing = ServerPairing.open(data, "127.0.0.1", PairingConfig.defaults(),
        PairingHttpApi.Settings.DEFAULTS, Optional.empty(), Optional.empty(), Set.of(), dpop, SharedState.embedded(), Clock.systemUTC());
    InMemorySessionBinding binding = new InMemorySessionBinding(100);
    SessionConfig config = SessionConfig.defaults();
    SessionEngine engine = SessionEngine.builder().config(config)
        .hooks(SessionHooks.builder().onCreateSession(new PairedSessionGate(pairing.accessTokens(), binding)).build())
        .build();
    HandshakeServer server = HandshakeServer.start(
        new ServerConfig("127.0.0.1", 0, Optional.empty(), config, 100, false), engine, null, null, pairing);
    return new Running(server, binding, Files.readString(data.resolve(OperatorTokens.DEFAULT_FILE)).strip());
  }

  HttpResponse<String> post(URI uri, String body, Optional<String> proof) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    proof.ifPresent(p -> b.header("DPoP", p));
    return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(URI uri, String authorization, Optional<String> proof) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Authorization", authorization);
    proof.ifPresent(p -> b.header("DPoP", p));
    return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String error(HttpResponse<String> r) {
    return Json.mapper().readTree(r.body()).path("error").stringValue();
  }

  /** Starts a flow (with a proof of {@code starter} when given) and approves it; returns the poll form. */
  String approvedFlow(Running s, Optional<DpopKey> starter) throws Exception {
    URI authorize = s.uri("/oauth/device_authorization");
    HttpResponse<String> started = post(authorize, "client_id=test-agent&scope=read",
        starter.map(k -> k.proof("POST", authorize.toString(), Optional.empty(), Optional.empty())));
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    JsonNode a = Json.mapper().readTree(started.body());
    HttpResponse<String> approved = c.send(HttpRequest.newBuilder(s.uri("/v1/pairing/approve"))
        .header("Authorization", "Bearer " + s.admin())
        .POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"" + a.path("user_code").stringValue() + "\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    return GRANT + "&client_id=test-agent&device_code="
        + URLEncoder.encode(a.path("device_code").stringValue(), StandardCharsets.UTF_8);
  }

  String tokenProof(Running s, DpopKey k) {
    return k.proof("POST", s.uri("/oauth/token").toString(), Optional.empty(), Optional.empty());
  }

  @Test
  void aDeviceCodeStartedWithAKeyIsRedeemedOnlyWithThatKeyAndYieldsADpopToken() throws Exception {
    try (Running s = start(DpopConfig.defaults())) {
      String poll = approvedFlow(s, Optional.of(key));
      URI token = s.uri("/oauth/token");

      HttpResponse<String> noProof = post(token, poll, Optional.empty());
      assertThat(noProof.statusCode()).isEqualTo(400);
      assertThat(error(noProof)).isEqualTo("invalid_dpop_proof");
      HttpResponse<String> otherKey = post(token, poll, Optional.of(tokenProof(s, DpopKey.generate(random))));
      assertThat(error(otherKey)).isEqualTo("invalid_dpop_proof");
      HttpResponse<String> forgedProof = post(token, poll, Optional.of(tokenProof(s, key).replaceAll("\\.[^.]+$", ".AAAA")));
      assertThat(error(forgedProof)).isEqualTo("invalid_dpop_proof");

      HttpResponse<String> issued = post(token, poll, Optional.of(tokenProof(s, key)));
      assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
      assertThat(Json.mapper().readTree(issued.body()).path("token_type").stringValue()).isEqualTo("DPoP");
    }
  }

  @Test
  void aBoundTokenWorksOnlyWithAFreshProofOfItsKeyForThatRequest() throws Exception {
    try (Running s = start(DpopConfig.defaults())) {
      String poll = approvedFlow(s, Optional.empty());
      HttpResponse<String> issued = post(s.uri("/oauth/token"), poll, Optional.of(tokenProof(s, key)));
      JsonNode t = Json.mapper().readTree(issued.body());
      assertThat(t.path("token_type").stringValue()).as(issued.body()).isEqualTo("DPoP");
      String token = t.path("access_token").stringValue();
      URI whoami = s.uri("/v1/pairing/whoami");

      HttpResponse<String> asBearer = get(whoami, "Bearer " + token, Optional.empty());
      assertThat(asBearer.statusCode()).isEqualTo(401);
      assertThat(error(asBearer)).isEqualTo("invalid_token");

      HttpResponse<String> withoutProof = get(whoami, "DPoP " + token, Optional.empty());
      assertThat(withoutProof.statusCode()).isEqualTo(401);
      assertThat(withoutProof.headers().firstValue("WWW-Authenticate").orElseThrow())
          .startsWith("DPoP algs=\"EdDSA").contains("error=\"invalid_dpop_proof\"");

      String good = key.proof("GET", whoami.toString(), Optional.of(token), Optional.empty());
      HttpResponse<String> ok = get(whoami, "DPoP " + token, Optional.of(good));
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
      assertThat(Json.mapper().readTree(ok.body()).path("principal").stringValue()).startsWith("device-flow:test-agent:");

      assertThat(error(get(whoami, "DPoP " + token, Optional.of(good)))).as("replayed proof").isEqualTo("invalid_dpop_proof");
      assertThat(error(get(whoami, "DPoP " + token,
          Optional.of(DpopKey.generate(random).proof("GET", whoami.toString(), Optional.of(token), Optional.empty())))))
          .as("another key").isEqualTo("invalid_dpop_proof");
      assertThat(error(get(whoami, "DPoP " + token,
          Optional.of(key.proof("GET", s.uri("/v1/pairing/requests").toString(), Optional.of(token), Optional.empty())))))
          .as("another URI").isEqualTo("invalid_dpop_proof");
      assertThat(error(get(whoami, "DPoP " + token,
          Optional.of(key.proof("POST", whoami.toString(), Optional.of(token), Optional.empty())))))
          .as("another method").isEqualTo("invalid_dpop_proof");
      assertThat(error(get(whoami, "DPoP " + token,
          Optional.of(key.proof("GET", whoami.toString(), Optional.empty(), Optional.empty())))))
          .as("no ath").isEqualTo("invalid_dpop_proof");

      // The Sessions capability accepts the bound token too (PairedSessionGate).
      URI create = s.uri("/handshake/session");
      HttpResponse<String> session = c.send(HttpRequest.newBuilder(create)
          .header("Content-Type", "application/json").header("Origin", s.server().baseUri().toString())
          .header("Authorization", "DPoP " + token)
          .header("DPoP", key.proof("POST", create.toString(), Optional.of(token), Optional.empty()))
          .POST(HttpRequest.BodyPublishers.ofString("{\"mode\":\"default\"}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(session.statusCode()).as(session.body()).isEqualTo(200);
    }
  }

  @Test
  void aBearerTokenIsNotAcceptedUnderTheDpopScheme() throws Exception {
    try (Running s = start(DpopConfig.defaults())) {
      String poll = approvedFlow(s, Optional.empty());
      String token = Json.mapper().readTree(post(s.uri("/oauth/token"), poll, Optional.empty()).body())
          .path("access_token").stringValue();
      URI whoami = s.uri("/v1/pairing/whoami");
      assertThat(get(whoami, "Bearer " + token, Optional.empty()).statusCode()).isEqualTo(200);
      HttpResponse<String> asDpop = get(whoami, "DPoP " + token,
          Optional.of(key.proof("GET", whoami.toString(), Optional.of(token), Optional.empty())));
      assertThat(asDpop.statusCode()).isEqualTo(401);
      assertThat(error(asDpop)).isEqualTo("invalid_token");
    }
  }

  @Test
  void noCredentialsGetBothChallenges() throws Exception {
    try (Running s = start(DpopConfig.defaults())) {
      HttpResponse<String> who = c.send(HttpRequest.newBuilder(s.uri("/v1/pairing/whoami")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(who.statusCode()).isEqualTo(401);
      assertThat(who.headers().firstValue("WWW-Authenticate").orElseThrow())
          .isEqualTo("Bearer realm=\"handshake\", DPoP algs=\"EdDSA Ed25519 ES256 ES384 ES512 PS256 RS256\"");
    }
  }

  @Test
  void aServerDemandingNoncesAnswersUseDpopNonceThenAcceptsTheNonce() throws Exception {
    try (Running s = start(DpopConfig.defaults().withRequireNonce(true))) {
      String poll = approvedFlow(s, Optional.empty());
      URI token = s.uri("/oauth/token");
      HttpResponse<String> first = post(token, poll, Optional.of(tokenProof(s, key)));
      assertThat(first.statusCode()).isEqualTo(400);
      assertThat(error(first)).isEqualTo("use_dpop_nonce");
      String nonce = first.headers().firstValue("DPoP-Nonce").orElseThrow();
      HttpResponse<String> second = post(token, poll,
          Optional.of(key.proof("POST", token.toString(), Optional.empty(), Optional.of(nonce))));
      assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
      assertThat(second.headers().firstValue("DPoP-Nonce")).isPresent();
      String access = Json.mapper().readTree(second.body()).path("access_token").stringValue();

      URI whoami = s.uri("/v1/pairing/whoami");
      HttpResponse<String> noNonce = get(whoami, "DPoP " + access,
          Optional.of(key.proof("GET", whoami.toString(), Optional.of(access), Optional.empty())));
      assertThat(noNonce.statusCode()).isEqualTo(401);
      assertThat(noNonce.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"use_dpop_nonce\"");
      String fresh = noNonce.headers().firstValue("DPoP-Nonce").orElseThrow();
      assertThat(get(whoami, "DPoP " + access,
          Optional.of(key.proof("GET", whoami.toString(), Optional.of(access), Optional.of(fresh)))).statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void aServerRequiringDpopRefusesTokenRequestsWithoutAProof() throws Exception {
    try (Running s = start(DpopConfig.defaults().withRequireProof(true))) {
      String poll = approvedFlow(s, Optional.empty());
      HttpResponse<String> plain = post(s.uri("/oauth/token"), poll, Optional.empty());
      assertThat(plain.statusCode()).isEqualTo(400);
      assertThat(error(plain)).isEqualTo("invalid_dpop_proof");
      assertThat(post(s.uri("/oauth/token"), poll, Optional.of(tokenProof(s, key))).statusCode()).isEqualTo(200);
    }
  }
}
