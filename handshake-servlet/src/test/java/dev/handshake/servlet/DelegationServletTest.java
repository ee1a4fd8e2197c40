package dev.handshake.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.audit.AgentChain;
import dev.handshake.audit.AuditLedger;
import dev.handshake.audit.AuditRecorder;
import dev.handshake.audit.InMemoryAuditStore;
import dev.handshake.audit.log.CheckpointSigner;
import dev.handshake.audit.log.InMemoryLogStore;
import dev.handshake.audit.log.TransparencyLog;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.delegation.DelegationTrust;
import dev.handshake.delegation.HandoffConfig;
import dev.handshake.delegation.HandoffVectors;
import dev.handshake.delegation.InMemoryReplayStore;
import dev.handshake.delegation.Reasons;
import dev.handshake.delegation.http.DelegationHttpApi;
import dev.handshake.json.Json;
import jakarta.servlet.ServletContainerInitializer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The delegation endpoints through the servlet adapter in a real Tomcat, over a real socket
 * (trusthandoff.md §4 items 19, 21, 25).
 */
class DelegationServletTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-21T03:22:36Z"), ZoneOffset.UTC);
  private static final String B = HandoffVectors.agentId("B");

  private final HttpClient http = HttpClient.newHttpClient();
  private AuditLedger ledger;
  private EmbeddedTomcat tomcat;

  @BeforeEach
  void start() throws Exception {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) 9);
    Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(seed);
    ledger =
        AuditLedger.open(
            new InMemoryAuditStore(),
            TransparencyLog.open(new InMemoryLogStore()),
            CheckpointSigner.create("servlet.test/audit", key));
    AuditRecorder recorder =
        new AuditRecorder(
            ledger,
            AgentChain.open(key, ledger.store(), CLOCK),
            EnumSet.allOf(AuditRecorder.Kind.class));
    DelegationHttpApi api =
        DelegationHttpApi.create(
            HandoffConfig.defaults()
                .withMaxPacketLifetime(Optional.empty()), // the vectors live to 2099
            new DelegationTrust(HandoffVectors.registryAbc(), Set.of()),
            new InMemoryReplayStore(),
            Optional.of(recorder),
            CLOCK);
    ServletContainerInitializer install =
        (classes, ctx) -> HandshakeServletInstaller.installDelegation(ctx, api);
    tomcat = EmbeddedTomcat.start(List.of(install), true, 4);
  }

  @AfterEach
  void stop() {
    tomcat.close();
    ledger.close();
  }

  private HttpResponse<String> post(String pathAndQuery, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(tomcat.baseUri() + pathAndQuery))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    return Json.mapper().readTree(r.body());
  }

  private static String decision(HttpResponse<String> r) throws Exception {
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
  void item19_item21_item25_vectorsDecideThroughTheServlet() throws Exception {
    String verify = "/delegation/verify?receiver=" + B;
    HttpResponse<String> first = post(verify, vector("S1"));
    assertThat(decision(first)).isEqualTo("ACCEPT " + Reasons.ACCEPTED);
    assertThat(first.headers().firstValue("X-Handshake-Audit-Event")).isPresent();
    assertThat(decision(post(verify, vector("S1")))).isEqualTo("REJECT " + Reasons.REPLAY);
    assertThat(decision(post(verify, vector("N01"))))
        .isEqualTo("REJECT " + Reasons.INVALID_SIGNATURE);
    assertThat(decision(post(verify, vector("N07"))))
        .isEqualTo("REJECT " + Reasons.INVALID_SIGNATURE);
    assertThat(decision(post("/delegation/verify?profile=reference", vector("N07"))))
        .isEqualTo("ACCEPT " + Reasons.ACCEPTED);
  }

  @Test
  void reportedDecisionsGetReceiptsAndErrorsAreJson() throws Exception {
    ObjectNode report = Json.object();
    report.set("packet", HandoffVectors.wire(vector("S1")));
    report.putObject("decision").put("decision", "REJECT").put("reason", "busy");
    HttpResponse<String> recorded = post("/delegation/decisions", Json.text(report));
    assertThat(recorded.statusCode()).as(recorded.body()).isEqualTo(201);
    String hash = json(recorded).path("event_hash").stringValue();
    assertThat(ledger.indexOf(hash)).isPresent();

    HttpResponse<String> get =
        http.send(
            HttpRequest.newBuilder(URI.create(tomcat.baseUri() + "/delegation/verify"))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
    json(get);
    HttpResponse<String> noReceiver = post("/delegation/verify", vector("S1"));
    assertThat(noReceiver.statusCode()).isEqualTo(400);
    json(noReceiver);
    HttpResponse<String> large =
        post("/delegation/verify?receiver=" + B, " ".repeat(DelegationHttpApi.MAX_BODY_BYTES + 1));
    assertThat(large.statusCode()).isEqualTo(413);
    json(large);
  }
}
