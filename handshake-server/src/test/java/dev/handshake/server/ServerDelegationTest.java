package dev.handshake.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.audit.AuditRecorder;
import dev.handshake.audit.log.LogTrust;
import dev.handshake.audit.log.ProofBundle;
import dev.handshake.audit.log.VerifierKey;
import dev.handshake.crypto.Base64Text;
import dev.handshake.delegation.DelegationTrust;
import dev.handshake.delegation.HandoffConfig;
import dev.handshake.delegation.HandoffVectors;
import dev.handshake.delegation.Reasons;
import dev.handshake.identity.KeyProtection;
import dev.handshake.json.Json;
import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /delegation/*} on the Netty server over real sockets (trusthandoff.md §4 items 19, 21,
 * 25): one replay store across connections, receipts provable through {@code /v1/audit/*}.
 */
class ServerDelegationTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-21T03:22:36Z"), ZoneOffset.UTC);
  private static final String B = HandoffVectors.agentId("B");

  @TempDir Path data;

  private HandshakeServer start(boolean withAudit) throws Exception {
    ServerAudit audit =
        withAudit
            ? ServerAudit.open(
                data,
                Optional.empty(),
                ServerAudit.DEFAULT_ORIGIN,
                EnumSet.allOf(AuditRecorder.Kind.class),
                KeyProtection.defaults().withScryptN(KeyProtection.MIN_N),
                Clock.systemUTC())
            : null;
    ServerDelegation delegation =
        ServerDelegation.open(
            data,
            HandoffConfig.defaults()
                .withMaxPacketLifetime(Optional.empty()), // the vectors live to 2099
            new DelegationTrust(HandoffVectors.registryAbc(), Set.of()),
            Optional.ofNullable(audit).map(ServerAudit::recorder),
            CLOCK);
    SessionConfig config = SessionConfig.defaults();
    return HandshakeServer.start(
        new ServerConfig("127.0.0.1", 0, Optional.empty(), config, 100, false),
        SessionEngine.builder().config(config).build(),
        audit,
        delegation);
  }

  /** A new client per call: the replay store must hold across connections, not just within one. */
  private static HttpResponse<String> post(URI base, String pathAndQuery, String body)
      throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(
          HttpRequest.newBuilder(base.resolve(pathAndQuery))
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .header("Content-Type", "application/json")
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  private static HttpResponse<String> get(URI base, String path) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(
          HttpRequest.newBuilder(base.resolve(path)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  private static JsonNode json(HttpResponse<String> r) {
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    return Json.tryParse(r.body().getBytes(StandardCharsets.UTF_8)).orElseThrow();
  }

  private static String decision(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode n = json(r);
    return n.path("decision").stringValue() + " " + n.path("reason").stringValue();
  }

  private static String vector(String name) {
    return name.equals("S1")
        ? HandoffVectors.singleCase("S1_minimal").path("packet_json").stringValue()
        : HandoffVectors.negativeCase(name).path("packet_json").stringValue();
  }

  @Test
  void item19_item21_item25_vectorsDecideOverHttpWithOneReplayStore() throws Exception {
    try (HandshakeServer server = start(false)) {
      URI base = server.baseUri();
      String verify = "/delegation/verify?receiver=" + B;
      assertThat(decision(post(base, verify, vector("S1"))))
          .isEqualTo("ACCEPT " + Reasons.ACCEPTED);
      assertThat(decision(post(base, verify, vector("S1")))).isEqualTo("REJECT " + Reasons.REPLAY);
      assertThat(decision(post(base, verify, vector("N01"))))
          .isEqualTo("REJECT " + Reasons.INVALID_SIGNATURE);
      assertThat(decision(post(base, verify, vector("N07"))))
          .isEqualTo("REJECT " + Reasons.INVALID_SIGNATURE);
      assertThat(decision(post(base, "/delegation/verify?profile=reference", vector("N07"))))
          .isEqualTo("ACCEPT " + Reasons.ACCEPTED);
      assertThat(server.delegation().orElseThrow().replayStore().size(CLOCK.instant()))
          .isEqualTo(1);
    }
  }

  @Test
  void errorsAreJsonWithTheirStatus() throws Exception {
    try (HandshakeServer server = start(false)) {
      URI base = server.baseUri();
      HttpResponse<String> noReceiver = post(base, "/delegation/verify", vector("S1"));
      assertThat(noReceiver.statusCode()).isEqualTo(400);
      assertThat(json(noReceiver).path("error").stringValue()).contains("receiver");
      HttpResponse<String> getVerify = get(base, "/delegation/verify");
      assertThat(getVerify.statusCode()).isEqualTo(405);
      assertThat(getVerify.headers().firstValue("allow")).hasValue("POST");
      json(getVerify);
      HttpResponse<String> large =
          post(base, "/delegation/verify?receiver=" + B, " ".repeat(300 * 1024));
      assertThat(large.statusCode()).as("above the endpoint's limit").isEqualTo(413);
      json(large);
      HttpResponse<String> huge =
          post(base, "/delegation/verify?receiver=" + B, " ".repeat(2 * 1024 * 1024));
      assertThat(huge.statusCode()).as("above the server's body limit").isEqualTo(413);
      HttpResponse<String> noAudit =
          post(
              base,
              "/delegation/decisions",
              "{\"packet\":" + vector("S1") + ",\"decision\":{\"decision\":\"ACCEPT\"}}");
      assertThat(noAudit.statusCode()).isEqualTo(503);
      json(noAudit);
    }
  }

  private static byte[] entryBytes(URI base, long index) throws Exception {
    JsonNode entry = json(get(base, "/v1/audit/entries/" + index));
    return Base64Text.decodeStrict(entry.path("entry_base64").stringValue()).orElseThrow();
  }

  private static void assertProvable(URI base, String eventHash, @Nullable String index)
      throws Exception {
    assertThat(index).isNotNull();
    LogTrust trust = LogTrust.of(VerifierKey.parse(get(base, "/v1/audit/log-key").body().trim()));
    HttpResponse<String> proof = get(base, "/v1/audit/proof/event/" + eventHash);
    assertThat(proof.statusCode()).isEqualTo(200);
    byte[] entry = entryBytes(base, Long.parseLong(index));
    assertThat(new String(entry, StandardCharsets.UTF_8)).contains(eventHash);
    assertThat(ProofBundle.verify(proof.body(), entry, trust).isValid()).isTrue();
  }

  @Test
  void decisionsAndReportsLeaveReceiptsProvableThroughTheAuditEndpoints() throws Exception {
    try (HandshakeServer server = start(true)) {
      URI base = server.baseUri();
      HttpResponse<String> verified = post(base, "/delegation/verify?receiver=" + B, vector("S1"));
      assertThat(decision(verified)).isEqualTo("ACCEPT " + Reasons.ACCEPTED);
      String hash = verified.headers().firstValue("x-handshake-audit-event").orElseThrow();
      assertProvable(
          base, hash, verified.headers().firstValue("x-handshake-audit-index").orElse(null));

      ObjectNode report = Json.object();
      report.set("packet", HandoffVectors.wire(vector("S1")));
      report.putObject("decision").put("decision", "ACCEPT").put("reason", Reasons.ACCEPTED);
      HttpResponse<String> recorded = post(base, "/delegation/decisions", Json.text(report));
      assertThat(recorded.statusCode()).as(recorded.body()).isEqualTo(201);
      JsonNode receipt = json(recorded);
      assertThat(receipt.path("proof_url").stringValue())
          .isEqualTo("/v1/audit/proof/event/" + receipt.path("event_hash").stringValue());
      assertProvable(
          base,
          receipt.path("event_hash").stringValue(),
          Long.toString(receipt.path("log_index").longValue()));

      HttpResponse<String> forged =
          post(
              base,
              "/delegation/decisions",
              "{\"packet\":" + vector("N01") + ",\"decision\":{\"decision\":\"ACCEPT\"}}");
      assertThat(forged.statusCode()).isEqualTo(422);
      json(forged);
    }
  }
}
