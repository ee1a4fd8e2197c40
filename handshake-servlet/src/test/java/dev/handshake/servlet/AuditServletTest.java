package dev.handshake.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.audit.AgentChain;
import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.AuditLedger;
import dev.handshake.audit.InMemoryAuditStore;
import dev.handshake.audit.log.CheckpointSigner;
import dev.handshake.audit.log.InMemoryLogStore;
import dev.handshake.audit.log.LogTrust;
import dev.handshake.audit.log.ProofBundle;
import dev.handshake.audit.log.SignedNote;
import dev.handshake.audit.log.TransparencyLog;
import dev.handshake.audit.log.VerifierKey;
import dev.handshake.crypto.Base64Text;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.json.Json;
import jakarta.servlet.ServletContainerInitializer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The audit endpoints through the servlet adapter in a real Tomcat, over a real socket. */
class AuditServletTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private AuditLedger ledger;
  private AgentChain chain;
  private EmbeddedTomcat tomcat;

  @BeforeEach
  void start() throws Exception {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) 5);
    Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(seed);
    ledger =
        AuditLedger.open(
            new InMemoryAuditStore(),
            TransparencyLog.open(new InMemoryLogStore()),
            CheckpointSigner.create("servlet.test/audit", key));
    chain = AgentChain.open(key, ledger.store(), Clock.systemUTC());
    ServletContainerInitializer install =
        (classes, ctx) -> HandshakeServletInstaller.installAudit(ctx, ledger);
    tomcat = EmbeddedTomcat.start(List.of(install), true, 4);
  }

  @AfterEach
  void stop() {
    tomcat.close();
    ledger.close();
  }

  private AuditEvent stamp(int n) {
    ObjectNode p = Json.object();
    p.put("event_type", "servlet_test");
    p.put("n", n);
    return ledger.record(chain, p);
  }

  private HttpResponse<String> send(String method, String pathAndQuery) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(tomcat.baseUri() + pathAndQuery))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void checkpointsAndInclusionProofsVerifyFromOutside() throws Exception {
    stamp(0);
    AuditEvent second = stamp(1);
    LogTrust trust = LogTrust.of(VerifierKey.parse(send("GET", "/v1/audit/log-key").body().trim()));
    HttpResponse<String> checkpoint = send("GET", "/v1/audit/checkpoint");
    assertThat(checkpoint.statusCode()).isEqualTo(200);
    assertThat(checkpoint.headers().firstValue("Cache-Control")).contains("no-store");
    assertThat(trust.verifyCheckpoint(SignedNote.parse(checkpoint.body())).isValid()).isTrue();

    JsonNode entry = Json.mapper().readTree(send("GET", "/v1/audit/entries/1").body());
    assertThat(entry.path("entry").path("event_hash").stringValue()).isEqualTo(second.hash());
    byte[] bytes = Base64Text.decodeStrict(entry.path("entry_base64").stringValue()).orElseThrow();
    String proof = send("GET", "/v1/audit/proof/event/" + second.hash()).body();
    assertThat(ProofBundle.verify(proof, bytes, trust).isValid()).isTrue();
  }

  @Test
  void badInputUnknownPathsAndWritesAreJsonErrors() throws Exception {
    stamp(0);
    record Case(String method, String path, int status) {}
    for (Case c :
        List.of(
            new Case("GET", "/v1/audit/proof/inclusion?index=abc", 400),
            new Case("GET", "/v1/audit/proof/inclusion?index=7", 404),
            new Case("GET", "/v1/audit/nothing", 404),
            new Case("POST", "/v1/audit/checkpoint", 405),
            new Case("DELETE", "/v1/audit/entries/0", 405))) {
      HttpResponse<String> r = send(c.method(), c.path());
      assertThat(r.statusCode()).as(c.toString()).isEqualTo(c.status());
      assertThat(r.headers().firstValue("Content-Type")).as(c.toString())
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
      assertThat(Json.mapper().readTree(r.body()).path("error").isString()).as(c.toString()).isTrue();
    }
  }
}
