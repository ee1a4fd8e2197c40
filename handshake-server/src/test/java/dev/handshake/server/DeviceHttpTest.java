package dev.handshake.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.json.Json;
import dev.handshake.pairing.PairingConfig;
import dev.handshake.pairing.auth.OperatorScope;
import dev.handshake.pairing.auth.OperatorTokens;
import dev.handshake.pairing.device.ConnectPayload;
import dev.handshake.pairing.device.DeviceIdentity;
import dev.handshake.pairing.device.TokenCheck;
import dev.handshake.pairing.http.PairingHttpApi;
import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionEngine;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The device pairing HTTP API on the Netty server over real sockets (pairing.md §2.4, §4 items
 * 12-14): a device with its own Ed25519 key asks for a challenge, connects, waits for the
 * operator, and gets its token.
 */
class DeviceHttpTest {
  @TempDir Path data;
  HandshakeServer server;
  ServerPairing pairing;
  String admin;
  final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    pairing = ServerPairing.open(data, "127.0.0.1", PairingConfig.defaults(),
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

  /** A device that signs {@code pair-v1} proofs the way a real client does. */
  static final class Device {
    final Ed25519PrivateKey key = Ed25519PrivateKey.generate(new SecureRandom());
    final DeviceIdentity identity = DeviceIdentity.of(key.publicKey());

    String id() {
      return identity.deviceId();
    }

    ObjectNode proof(String nonce, String role, String... scopes) {
      long now = System.currentTimeMillis();
      String payload = ConnectPayload.pairV1(id(), "test-client", role, List.of(scopes), now,
          nonce);
      ObjectNode n = Json.object();
      n.put("deviceId", id());
      n.put("publicKey", identity.publicKeyBase64Url());
      n.put("clientId", "test-client");
      n.put("role", role);
      var a = n.putArray("scopes");
      for (String s : scopes) {
        a.add(s);
      }
      n.put("signedAtMs", now);
      n.put("nonce", nonce);
      n.put("signature", ConnectPayload.sign(key, payload));
      n.put("displayName", "Ann's laptop");
      n.put("platform", "macos");
      return n;
    }
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

  String nonce() throws Exception {
    HttpResponse<String> r = call("POST", "/v1/devices/challenge", null, Optional.empty());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).path("ts").asLong()).isPositive();
    return json(r).path("nonce").stringValue();
  }

  HttpResponse<String> connect(ObjectNode proof) throws Exception {
    return call("POST", "/v1/devices/connect", Json.text(proof), Optional.empty());
  }

  /** Challenge, connect (pairing required), approve over HTTP, connect again: the token. */
  String pairOverHttp(Device d, String role, String... scopes) throws Exception {
    HttpResponse<String> first = connect(d.proof(nonce(), role, scopes));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(403);
    String requestId = json(first).path("request_id").stringValue();
    HttpResponse<String> ok = asAdmin("POST", "/v1/devices/approve",
        "{\"request_id\":\"" + requestId + "\"}");
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    HttpResponse<String> second = connect(d.proof(nonce(), role, scopes));
    assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
    return json(second).path("token").stringValue();
  }

  TokenCheck check(Device d, String role, String token) {
    return pairing.devices().checkToken(d.id(), role, Optional.of(token), Set.of());
  }

  @Test
  void item13_aDeviceWaitsForApprovalThenGetsItsTokenOnce() throws Exception {
    Device d = new Device();
    HttpResponse<String> first = connect(d.proof(nonce(), "node", "system.run"));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(403);
    assertThat(first.headers().firstValue("Cache-Control")).contains("no-store");
    JsonNode required = json(first);
    assertThat(required.path("error").stringValue()).isEqualTo("pairing_required");
    assertThat(required.path("upgrade").asBoolean()).isFalse();
    String requestId = required.path("request_id").stringValue();
    assertThat(required.path("message").stringValue())
        .contains("handshake devices approve " + requestId);

    HttpResponse<String> waiting = call("GET", "/v1/devices/requests/" + requestId, null,
        Optional.empty());
    assertThat(waiting.statusCode()).isEqualTo(200);
    assertThat(json(waiting).path("state").stringValue()).isEqualTo("pending");

    HttpResponse<String> pending = asAdmin("GET", "/v1/devices/pending", null);
    assertThat(json(pending).path("requests")).singleElement().satisfies(r -> {
      assertThat(r.path("device_id").stringValue()).isEqualTo(d.id());
      assertThat(r.path("display_name").stringValue()).isEqualTo("Ann's laptop");
    });

    HttpResponse<String> approve = asAdmin("POST", "/v1/devices/approve",
        "{\"request_id\":\"" + requestId + "\"}");
    assertThat(approve.statusCode()).as(approve.body()).isEqualTo(200);
    assertThat(json(call("GET", "/v1/devices/requests/" + requestId, null, Optional.empty()))
        .path("state").stringValue()).isEqualTo("approved");

    HttpResponse<String> paired = connect(d.proof(nonce(), "node", "system.run"));
    assertThat(paired.statusCode()).as(paired.body()).isEqualTo(200);
    JsonNode p = json(paired);
    assertThat(p.path("status").stringValue()).isEqualTo("paired");
    assertThat(p.path("device_id").stringValue()).isEqualTo(d.id());
    assertThat(p.path("scopes")).extracting(JsonNode::stringValue).containsExactly("system.run");
    String token = p.path("token").stringValue();
    assertThat(token).isNotBlank();
    assertThat(check(d, "node", token)).isInstanceOf(TokenCheck.Valid.class);

    HttpResponse<String> again = connect(d.proof(nonce(), "node", "system.run"));
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again).has("token")).isFalse();

    HttpResponse<String> list = asAdmin("GET", "/v1/devices", null);
    assertThat(list.body()).doesNotContain(token);
    assertThat(json(list).path("devices")).singleElement()
        .satisfies(x -> assertThat(x.path("tokens")).hasSize(1));
  }

  @Test
  void item13_revokeRefusesTheOldTokenAndRotateHandsOutANewOne() throws Exception {
    Device d = new Device();
    String first = pairOverHttp(d, "node");
    String body = "{\"device_id\":\"" + d.id() + "\",\"role\":\"node\"}";

    HttpResponse<String> revoke = asAdmin("POST", "/v1/devices/revoke", body);
    assertThat(revoke.statusCode()).as(revoke.body()).isEqualTo(200);
    assertThat(check(d, "node", first)).isEqualTo(
        new TokenCheck.Failed(TokenCheck.Failure.TOKEN_REVOKED));
    assertThat(asAdmin("POST", "/v1/devices/revoke", body).statusCode()).isEqualTo(404);

    HttpResponse<String> rotate = asAdmin("POST", "/v1/devices/rotate", body);
    assertThat(rotate.statusCode()).as(rotate.body()).isEqualTo(200);
    String second = json(rotate).path("token").stringValue();
    assertThat(second).isNotBlank().isNotEqualTo(first);
    assertThat(check(d, "node", second)).isInstanceOf(TokenCheck.Valid.class);
    assertThat(check(d, "node", first)).isInstanceOf(TokenCheck.Failed.class);

    ObjectNode rotating = d.proof(nonce(), "node");
    rotating.put("rotate", true);
    HttpResponse<String> self = connect(rotating);
    assertThat(self.statusCode()).isEqualTo(200);
    String third = json(self).path("token").stringValue();
    assertThat(third).isNotBlank().isNotEqualTo(second);
    assertThat(check(d, "node", second)).isInstanceOf(TokenCheck.Failed.class);

    HttpResponse<String> remove = asAdmin("POST", "/v1/devices/remove",
        "{\"device_id\":\"" + d.id() + "\"}");
    assertThat(remove.statusCode()).isEqualTo(200);
    assertThat(check(d, "node", third)).isEqualTo(
        new TokenCheck.Failed(TokenCheck.Failure.NOT_PAIRED));
    assertThat(connect(d.proof(nonce(), "node")).statusCode()).isEqualTo(403);
  }

  @Test
  void item12_aBadSignatureOrAReusedNonceIsA401WithTheDeviceAuthCode() throws Exception {
    Device d = new Device();
    String nonce = nonce();
    ObjectNode forged = d.proof(nonce, "node");
    forged.put("signature", new Device().proof(nonce, "node").path("signature").stringValue());
    HttpResponse<String> bad = connect(forged);
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(json(bad).path("error").stringValue()).isEqualTo("DEVICE_AUTH_SIGNATURE_INVALID");

    HttpResponse<String> reused = connect(d.proof(nonce, "node"));
    assertThat(reused.statusCode()).isEqualTo(401);
    assertThat(json(reused).path("error").stringValue()).isEqualTo("DEVICE_AUTH_NONCE_MISMATCH");

    ObjectNode noNonce = d.proof(nonce(), "node");
    noNonce.remove("nonce");
    assertThat(json(connect(noNonce)).path("error").stringValue())
        .isEqualTo("DEVICE_AUTH_NONCE_REQUIRED");
    assertThat(pairing.devices().pending()).isEmpty();
  }

  @Test
  void operatorRoutesNeedAToken() throws Exception {
    HttpResponse<String> none = call("GET", "/v1/devices/pending", null, Optional.empty());
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"handshake\"");
    assertThat(json(none).path("error").stringValue()).isEqualTo("unauthorized");

    HttpResponse<String> wrong = call("POST", "/v1/devices/approve", "{\"request_id\":\"x\"}",
        Optional.of("x".repeat(40)));
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("error=\"invalid_token\"");
  }

  @Test
  void aReadOnlyOperatorCannotApproveOrMakeSetupCodes() throws Exception {
    String reader = OperatorTokens.addScoped(data, "reader", Set.of(OperatorScope.READ),
        new SecureRandom()).reveal();
    server.close();
    start();
    assertThat(call("GET", "/v1/devices", null, Optional.of(reader)).statusCode()).isEqualTo(200);
    HttpResponse<String> approve = call("POST", "/v1/devices/approve", "{\"request_id\":\"x\"}",
        Optional.of(reader));
    assertThat(approve.statusCode()).isEqualTo(403);
    assertThat(approve.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("scope=\"pairing\"");
    assertThat(call("POST", "/v1/devices/setup-code", "{\"url\":\"wss://h.example\"}",
        Optional.of(reader)).statusCode()).isEqualTo(403);
  }

  @Test
  void item14_aSetupCodePairsTheFirstDeviceOnce() throws Exception {
    HttpResponse<String> issued = asAdmin("POST", "/v1/devices/setup-code",
        "{\"url\":\"wss://handshake.example/v1/connect\"}");
    assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
    String code = json(issued).path("setup_code").stringValue();
    String bootstrap = dev.handshake.pairing.device.SetupCode.parse(code).orElseThrow()
        .revealBootstrapToken();

    Device d = new Device();
    ObjectNode proof = d.proof(nonce(), "node");
    proof.put("bootstrapToken", bootstrap);
    HttpResponse<String> redeemed = call("POST", "/v1/devices/bootstrap/redeem",
        Json.text(proof), Optional.empty());
    assertThat(redeemed.statusCode()).as(redeemed.body()).isEqualTo(200);
    assertThat(json(redeemed).path("token").stringValue()).isNotBlank();

    ObjectNode again = new Device().proof(nonce(), "node");
    again.put("bootstrapToken", bootstrap);
    HttpResponse<String> spent = connect(again);
    assertThat(spent.statusCode()).isEqualTo(403);
    assertThat(json(spent).path("error").stringValue()).isEqualTo("bootstrap_token_invalid");
  }

  @Test
  void badInputIsAJson4xxNeverA500() throws Exception {
    for (String body : List.of("", "[]", "not json", "{\"deviceId\":1}",
        "{\"deviceId\":\"a\",\"publicKey\":\"b\",\"signature\":\"c\",\"clientId\":\"d\","
            + "\"role\":\"node\",\"signedAtMs\":\"soon\"}",
        "{\"deviceId\":\"a\",\"publicKey\":\"b\",\"signature\":\"c\",\"clientId\":\"d\","
            + "\"role\":\"node\",\"signedAtMs\":1,\"scopes\":\"x\"}")) {
      HttpResponse<String> r = connect(body);
      assertThat(r.statusCode()).as(body).isBetween(400, 499);
      assertThat(json(r).path("error").isString()).as(body).isTrue();
    }
    HttpResponse<String> junk = connect("{\"deviceId\":\"a\",\"publicKey\":\"b\","
        + "\"signature\":\"c\",\"clientId\":\"d\",\"role\":\"node\",\"signedAtMs\":1,"
        + "\"nonce\":\"n\"}");
    assertThat(junk.statusCode()).isEqualTo(401);
    assertThat(call("POST", "/v1/devices/connect", "{\"x\":\"" + "a".repeat(20_000) + "\"}",
        Optional.empty()).statusCode()).isEqualTo(413);
    assertThat(call("GET", "/v1/devices/requests/nope", null, Optional.empty()).statusCode())
        .isEqualTo(404);
    assertThat(asAdmin("POST", "/v1/devices/approve", "{}").statusCode()).isEqualTo(400);
    assertThat(asAdmin("POST", "/v1/devices/approve", "{\"request_id\":\"nope\"}").statusCode())
        .isEqualTo(404);
    assertThat(asAdmin("POST", "/v1/devices/rotate", "{\"device_id\":\"x\",\"role\":\"node\"}")
        .statusCode()).isEqualTo(404);
    assertThat(asAdmin("POST", "/v1/devices/setup-code", "{\"url\":\"http://evil\"}")
        .statusCode()).isEqualTo(400);
    assertThat(call("DELETE", "/v1/devices/connect", null, Optional.empty()).statusCode())
        .isEqualTo(405);
  }

  HttpResponse<String> connect(String body) throws Exception {
    return call("POST", "/v1/devices/connect", body, Optional.empty());
  }
}
