package dev.handshake.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.audit.AgentChain;
import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.AuditLedger;
import dev.handshake.audit.AuditRecorder;
import dev.handshake.audit.log.ConsistencyBundle;
import dev.handshake.audit.log.LogTrust;
import dev.handshake.audit.log.ProofBundle;
import dev.handshake.audit.log.SignedNote;
import dev.handshake.audit.log.VerifierKey;
import dev.handshake.crypto.Base64Text;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.identity.KeyProtection;
import dev.handshake.json.Json;
import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionEngine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The server audit log over real sockets: what the endpoints serve verifies offline. */
class ServerAuditTest {
  @TempDir Path data;
  private final HttpClient http = HttpClient.newHttpClient();

  private ServerAudit openAudit(Path dir, Optional<String> passphrase) throws IOException {
    return ServerAudit.open(
        dir, passphrase, ServerAudit.DEFAULT_ORIGIN, EnumSet.allOf(AuditRecorder.Kind.class),
        KeyProtection.defaults().withScryptN(KeyProtection.MIN_N), Clock.systemUTC());
  }

  private static HandshakeServer start(ServerAudit audit) throws InterruptedException {
    SessionConfig config = SessionConfig.defaults();
    return HandshakeServer.start(
        new ServerConfig("127.0.0.1", 0, Optional.empty(), config, 100, false),
        SessionEngine.builder().config(config).build(),
        audit);
  }

  private HttpResponse<String> get(URI base, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) {
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    return Json.tryParse(r.body().getBytes(StandardCharsets.UTF_8)).orElseThrow();
  }

  private static ObjectNode payload(int n) {
    ObjectNode p = Json.object();
    p.put("event_type", "test");
    p.put("n", n);
    return p;
  }

  private static ObjectNode grant(int n) {
    ObjectNode p = Json.object();
    p.put("grant", n);
    return p;
  }

  @Test
  void endpointsServeVerifiableCheckpointsAndProofs() throws Exception {
    try (HandshakeServer server = start(openAudit(data, Optional.empty()))) {
      URI base = server.baseUri();
      AuditLedger ledger = server.auditLedger().orElseThrow();
      AgentChain agent =
          AgentChain.open(Ed25519PrivateKey.generate(new SecureRandom()), ledger.store(), Clock.systemUTC());
      AuditEvent first = ledger.record(agent, payload(0));
      AuditEvent receipt =
          server.auditRecorder().orElseThrow()
              .record(AuditRecorder.Kind.PAIRING, "paired", grant(1)).orElseThrow();
      ledger.recordHead(agent);

      HttpResponse<String> keyResp = get(base, "/v1/audit/log-key");
      assertThat(keyResp.statusCode()).isEqualTo(200);
      LogTrust trust = LogTrust.of(VerifierKey.parse(keyResp.body().trim()));

      HttpResponse<String> checkpoint = get(base, "/v1/audit/checkpoint");
      assertThat(checkpoint.statusCode()).isEqualTo(200);
      assertThat(checkpoint.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain");
      SignedNote older = SignedNote.parse(checkpoint.body());
      assertThat(trust.verifyCheckpoint(older).isValid()).isTrue();

      long index = ledger.indexOf(receipt.hash()).orElseThrow();
      HttpResponse<String> entry = get(base, "/v1/audit/entries/" + index);
      assertThat(entry.statusCode()).isEqualTo(200);
      JsonNode entryJson = json(entry);
      assertThat(entryJson.path("entry").path("event_hash").stringValue()).isEqualTo(receipt.hash());
      byte[] entryBytes = Base64Text.decodeStrict(entryJson.path("entry_base64").stringValue()).orElseThrow();
      assertThat(entryBytes).isEqualTo(ledger.entry(index));

      HttpResponse<String> byIndex = get(base, "/v1/audit/proof/inclusion?index=" + index);
      assertThat(byIndex.statusCode()).isEqualTo(200);
      assertThat(ProofBundle.verify(byIndex.body(), entryBytes, trust).isValid()).isTrue();
      HttpResponse<String> byHash = get(base, "/v1/audit/proof/event/" + receipt.hash());
      assertThat(ProofBundle.verify(byHash.body(), entryBytes, trust).isValid()).isTrue();
      assertThat(ProofBundle.verify(get(base, "/v1/audit/proof/event/" + first.hash()).body(), entryBytes, trust).isValid())
          .as("a proof for another entry does not verify this one")
          .isFalse();

      ledger.record(agent, payload(2));
      HttpResponse<String> consistency = get(base, "/v1/audit/proof/consistency?from=3");
      assertThat(consistency.statusCode()).isEqualTo(200);
      assertThat(ConsistencyBundle.verify(consistency.body(), trust).isValid()).isTrue();
      assertThat(ConsistencyBundle.parse(consistency.body()).older().text()).isEqualTo(older.text());

      for (String bad :
          new String[] {
            "/v1/audit/proof/inclusion?index=abc",
            "/v1/audit/proof/inclusion?index=-1",
            "/v1/audit/proof/consistency?from=99",
            "/v1/audit/proof/event/not-a-hash",
            "/v1/audit/entries/x"
          }) {
        HttpResponse<String> r = get(base, bad);
        assertThat(r.statusCode()).as(bad).isEqualTo(400);
        assertThat(json(r).path("error").isString()).isTrue();
      }
      for (String missing :
          new String[] {
            "/v1/audit/proof/inclusion?index=99",
            "/v1/audit/entries/99",
            "/v1/audit/proof/event/" + "0".repeat(64),
            "/v1/audit/other"
          }) {
        HttpResponse<String> r = get(base, missing);
        assertThat(r.statusCode()).as(missing).isEqualTo(404);
        json(r);
      }
      HttpResponse<String> post =
          http.send(
              HttpRequest.newBuilder(base.resolve("/v1/audit/checkpoint"))
                  .POST(HttpRequest.BodyPublishers.ofString("{}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
      json(post);
      assertThat(get(base, "/healthz").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void theKeyIsCreatedOnceAndItsGeneratedPassphraseIsOwnerOnly() throws Exception {
    VerifierKey key;
    String hash;
    try (ServerAudit audit = openAudit(data, Optional.empty())) {
      key = audit.ledger().verifierKey();
      hash = audit.recorder().record(AuditRecorder.Kind.RELAY, "admitted", grant(0)).orElseThrow().hash();
    }
    Path pass = data.resolve(ServerAudit.PASS_FILE);
    assertThat(Files.readString(pass).trim()).hasSize(44);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pass))).isEqualTo("rw-------");
    assertThat(data.resolve(ServerAudit.KEY_FILE)).exists();
    assertThat(data.resolve("audit.db")).exists();
    assertThat(data.resolve("transparency-log.db")).exists();
    try (ServerAudit again = openAudit(data, Optional.empty())) {
      assertThat(again.ledger().verifierKey()).isEqualTo(key);
      assertThat(again.ledger().indexOf(hash)).hasValue(0);
    }
    Files.delete(pass);
    assertThatThrownBy(() -> openAudit(data, Optional.empty()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no passphrase");
  }

  @Test
  void aPassphraseFromTheEnvironmentLeavesNoPassFile() throws Exception {
    VerifierKey key;
    try (ServerAudit audit = openAudit(data, Optional.of("correct horse battery staple"))) {
      key = audit.ledger().verifierKey();
    }
    assertThat(data.resolve(ServerAudit.PASS_FILE)).doesNotExist();
    try (ServerAudit again = openAudit(data, Optional.of("correct horse battery staple"))) {
      assertThat(again.ledger().verifierKey()).isEqualTo(key);
    }
    assertThatThrownBy(() -> openAudit(data, Optional.of("wrong"))).isInstanceOf(IOException.class);
  }

  @Test
  void withoutAuditTheEndpointsAreAbsent() throws Exception {
    SessionConfig config = SessionConfig.defaults();
    try (HandshakeServer server =
        HandshakeServer.start(
            new ServerConfig("127.0.0.1", 0, Optional.empty(), config, 100, false),
            SessionEngine.builder().config(config).build())) {
      assertThat(server.auditLedger()).isEmpty();
      assertThat(get(server.baseUri(), "/v1/audit/checkpoint").statusCode()).isEqualTo(404);
    }
  }
}
