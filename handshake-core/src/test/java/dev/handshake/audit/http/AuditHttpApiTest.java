package dev.handshake.audit.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.audit.AgentChain;
import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.AuditLedger;
import dev.handshake.audit.InMemoryAuditStore;
import dev.handshake.audit.log.CheckpointSigner;
import dev.handshake.audit.log.ConsistencyBundle;
import dev.handshake.audit.log.InMemoryLogStore;
import dev.handshake.audit.log.LogTrust;
import dev.handshake.audit.log.ProofBundle;
import dev.handshake.audit.log.TransparencyLog;
import dev.handshake.audit.log.VerifierKey;
import dev.handshake.crypto.Base64Text;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.json.Json;
import dev.handshake.session.HppResponse;
import java.time.Clock;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class AuditHttpApiTest {
  private static final Ed25519PrivateKey KEY;

  static {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) 9);
    KEY = Ed25519PrivateKey.fromSeed(seed);
  }

  private final AuditLedger ledger =
      AuditLedger.open(
          new InMemoryAuditStore(),
          TransparencyLog.open(new InMemoryLogStore()),
          CheckpointSigner.create("handshake.local/audit", KEY));
  private final AgentChain chain = AgentChain.open(KEY, ledger.store(), Clock.systemUTC());
  private final AuditHttpApi api = new AuditHttpApi(ledger);

  @AfterEach
  void close() {
    ledger.close();
  }

  private AuditEvent stamp(int n) {
    ObjectNode p = Json.object();
    p.put("event_type", "t");
    p.put("n", n);
    return ledger.record(chain, p);
  }

  private HppResponse get(String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    return q < 0
        ? api.handle("GET", pathAndQuery, null)
        : api.handle("GET", pathAndQuery.substring(0, q), pathAndQuery.substring(q + 1));
  }

  private static JsonNode json(HppResponse r) {
    assertThat(r.contentType()).isEqualTo(HppResponse.JSON);
    return Json.tryParse(r.body()).orElseThrow();
  }

  @Test
  void servesVerifiableCheckpointsAndProofs() throws Exception {
    stamp(0);
    AuditEvent e1 = stamp(1);
    stamp(2);
    HppResponse keyResp = get("/v1/audit/log-key");
    assertThat(keyResp.status()).isEqualTo(200);
    LogTrust trust = LogTrust.of(VerifierKey.parse(keyResp.bodyText().trim()));
    HppResponse checkpoint = get("/v1/audit/checkpoint");
    assertThat(checkpoint.contentType()).startsWith("text/plain");
    assertThat(checkpoint.headers()).containsEntry("Cache-Control", "no-store");
    assertThat(
            trust.verifyCheckpoint(dev.handshake.audit.log.SignedNote.parse(checkpoint.bodyText()))
                .isValid())
        .isTrue();

    HppResponse entry = get("/v1/audit/entries/1");
    assertThat(entry.status()).isEqualTo(200);
    JsonNode entryJson = json(entry);
    assertThat(entryJson.path("entry").path("event_hash").stringValue()).isEqualTo(e1.hash());
    byte[] bytes = Base64Text.decodeStrict(entryJson.path("entry_base64").stringValue()).orElseThrow();
    assertThat(ProofBundle.verify(get("/v1/audit/proof/inclusion?index=1").bodyText(), bytes, trust).isValid())
        .isTrue();
    assertThat(ProofBundle.verify(get("/v1/audit/proof/event/" + e1.hash()).bodyText(), bytes, trust).isValid())
        .isTrue();
    assertThat(ConsistencyBundle.verify(get("/v1/audit/proof/consistency?from=1").bodyText(), trust).isValid())
        .isTrue();
  }

  @Test
  void badInputIsAJsonClientError() {
    stamp(0);
    for (String bad :
        new String[] {
          "/v1/audit/proof/inclusion",
          "/v1/audit/proof/inclusion?index=",
          "/v1/audit/proof/inclusion?index=-1",
          "/v1/audit/proof/inclusion?index=01",
          "/v1/audit/proof/inclusion?index=abc",
          "/v1/audit/proof/inclusion?index=1&index=0",
          "/v1/audit/proof/inclusion?index=99999999999999999999",
          "/v1/audit/proof/consistency?from=x",
          "/v1/audit/proof/consistency?from=5",
          "/v1/audit/proof/event/XYZ",
          "/v1/audit/entries/-3",
          "/v1/audit/entries/1e3"
        }) {
      HppResponse r = get(bad);
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(json(r).path("error").isString()).as(bad).isTrue();
    }
    for (String missing :
        new String[] {
          "/v1/audit/proof/inclusion?index=1",
          "/v1/audit/proof/event/" + "ab".repeat(32),
          "/v1/audit/entries/1",
          "/v1/audit",
          "/v1/audit/nothing",
          "/v1/audit/entries/"
        }) {
      HppResponse r = get(missing);
      assertThat(r.status()).as(missing).isEqualTo(404);
      json(r);
    }
    HppResponse post = api.handle("POST", "/v1/audit/checkpoint", null);
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.headers()).containsEntry("Allow", "GET");
    json(post);
    assertThat(api.handles("/v1/audit/checkpoint")).isTrue();
    assertThat(api.handles("/v1/auditx")).isFalse();
    assertThat(api.handles("/handshake/session")).isFalse();
  }
}
