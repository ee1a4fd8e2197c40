package dev.handshake.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.audit.AuditRecorder.Kind;
import dev.handshake.audit.log.CheckpointSigner;
import dev.handshake.audit.log.InMemoryLogStore;
import dev.handshake.audit.log.LogTrust;
import dev.handshake.audit.log.ProofBundle;
import dev.handshake.audit.log.TransparencyLog;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.json.Json;
import java.time.Clock;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class AuditRecorderTest {
  private static final Ed25519PrivateKey LOG_KEY = Ed25519PrivateKey.fromSeed(seed7());
  private final AuditLedger ledger =
      AuditLedger.open(
          new InMemoryAuditStore(),
          TransparencyLog.open(new InMemoryLogStore()),
          CheckpointSigner.create("handshake.local/audit", LOG_KEY));
  private final AgentChain server =
      AgentChain.open(LOG_KEY, ledger.store(), Clock.systemUTC());
  private final AuditRecorder recorder =
      new AuditRecorder(ledger, server, EnumSet.of(Kind.PAIRING, Kind.DELEGATION));

  private static byte[] seed7() {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) 7);
    return s;
  }

  @AfterEach
  void close() {
    ledger.close();
  }

  @Test
  void recordsEnabledKindsAsLoggedServerEvents() {
    ObjectNode payload = Json.object();
    payload.put("grant_id", "g1");
    Optional<AuditEvent> receipt = recorder.record(Kind.DELEGATION, "grant_issued", payload);
    assertThat(receipt).isPresent();
    AuditEvent event = receipt.get();
    assertThat(event.agentId()).isEqualTo(server.agentId());
    assertThat(event.payload().path("kind").stringValue()).isEqualTo("delegation");
    assertThat(event.payload().path("event_type").stringValue()).isEqualTo("grant_issued");
    assertThat(event.payload().path("grant_id").stringValue()).isEqualTo("g1");
    assertThat(payload.has("kind")).as("the caller's payload is not modified").isFalse();
    long index = ledger.indexOf(event.hash()).orElseThrow();
    assertThat(
            ProofBundle.verify(
                    ledger.inclusionBundle(index),
                    ledger.entry(index),
                    LogTrust.of(ledger.verifierKey()))
                .isValid())
        .isTrue();
    assertThat(recorder.enabled(Kind.PAIRING)).isTrue();
  }

  @Test
  void aDisabledKindRecordsNothing() {
    assertThat(recorder.enabled(Kind.RELAY)).isFalse();
    assertThat(recorder.record(Kind.RELAY, "peer_admitted", Json.object())).isEmpty();
    assertThat(server.events()).isEmpty();
    assertThat(ledger.size()).isZero();
    AuditRecorder off = new AuditRecorder(ledger, server, EnumSet.noneOf(Kind.class));
    assertThat(off.record(Kind.PAIRING, "paired", Json.object())).isEmpty();
  }

  @Test
  void refusesConflictingOrUnsignablePayloads() {
    ObjectNode conflicting = Json.object();
    conflicting.put("kind", "relay");
    assertThatThrownBy(() -> recorder.record(Kind.PAIRING, "paired", conflicting))
        .isInstanceOf(IllegalArgumentException.class);
    ObjectNode sameKind = Json.object();
    sameKind.put("kind", "pairing");
    assertThat(recorder.record(Kind.PAIRING, "paired", sameKind)).isPresent();
    ObjectNode floats = Json.object();
    floats.put("score", 0.5);
    assertThatThrownBy(() -> recorder.record(Kind.PAIRING, "paired", floats))
        .isInstanceOf(IllegalArgumentException.class);
    ObjectNode big = Json.object();
    big.put("n", 1L << 60);
    assertThatThrownBy(() -> recorder.record(Kind.PAIRING, "paired", big))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> recorder.record(Kind.PAIRING, " ", Json.object()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(server.events()).hasSize(1);
    assertThat(ledger.size()).isEqualTo(1);
  }
}
