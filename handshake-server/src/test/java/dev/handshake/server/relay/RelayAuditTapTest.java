package dev.handshake.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.AuditRecorder;
import dev.handshake.audit.ChainVerifier;
import dev.handshake.audit.VerifyOptions;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Sha256;
import dev.handshake.identity.KeyProtection;
import dev.handshake.relay.KeepPackets;
import dev.handshake.relay.RelayConfig;
import dev.handshake.relay.RelayEngine;
import dev.handshake.relay.proto.Packet;
import dev.handshake.server.ServerAudit;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Relay receipts on the server's audit chain: what was forwarded, by whom, never the body. */
class RelayAuditTapTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final SecureRandom RANDOM = new SecureRandom();
  @TempDir Path data;

  private ServerAudit open(EnumSet<AuditRecorder.Kind> kinds) throws Exception {
    return ServerAudit.open(
        data, Optional.of("relay-tap-test"), ServerAudit.DEFAULT_ORIGIN, kinds,
        KeyProtection.defaults().withScryptN(KeyProtection.MIN_N), Clock.systemUTC());
  }

  private static List<AuditEvent> receipts(ServerAudit audit) {
    String server = audit.recorder().chain().agentId();
    return audit.ledger().store().events(server).stream()
        .filter(e -> e.eventType().equals(RelayAuditTap.EVENT_TYPE))
        .toList();
  }

  @Test
  void aForwardedPacketGetsAVerifiableReceiptWithItsHashButNotItsBody() throws Exception {
    try (ServerAudit audit = open(EnumSet.allOf(AuditRecorder.Kind.class))) {
      RelayEngine engine =
          new RelayEngine(RelayConfig.builder().heartbeatInterval(Duration.ZERO).build(), Clock.systemUTC());
      RelayAuditTap tap = audit.relayTap(100);
      engine.observe(tap);
      byte[] received;
      Ed25519PrivateKey senderKey = Ed25519PrivateKey.generate(RANDOM);
      try (RelayListener relay = RelayListener.start("127.0.0.1", 0, engine);
          RawKeepSocket sink = RawKeepSocket.connect(relay.address());
          RawKeepSocket sender = RawKeepSocket.connect(relay.address())) {
        Ed25519PrivateKey sinkKey = Ed25519PrivateKey.generate(RANDOM);
        assertThat(sink.roundTrip(RawKeepSocket.signed(sinkKey, "hi", "bot:sink", "server", ""), TIMEOUT).getBody())
            .isEqualTo(KeepPackets.DONE);
        sender.send(RawKeepSocket.signed(senderKey, "m-1", "bot:sender", "bot:sink", "secret body text"));
        received = sink.readFrame(TIMEOUT);
        assertThat(Packet.parseFrom(received).getBody()).isEqualTo("secret body text");
      }
      tap.close();
      assertThat(tap.recorded()).isEqualTo(1);
      List<AuditEvent> receipts = receipts(audit);
      assertThat(receipts).hasSize(1);
      var payload = receipts.get(0).payload();
      assertThat(payload.path("kind").stringValue()).isEqualTo("relay");
      assertThat(payload.path("src").stringValue()).isEqualTo("bot:sender");
      assertThat(payload.path("dst").stringValue()).isEqualTo("bot:sink");
      assertThat(payload.path("packet_id").stringValue()).isEqualTo("m-1");
      assertThat(payload.path("packet_sha256").stringValue())
          .isEqualTo(HexFormat.of().formatHex(Sha256.digest(received)));
      assertThat(payload.path("sender_key").stringValue())
          .isEqualTo(HexFormat.of().formatHex(senderKey.publicKey().raw()));
      assertThat(payload.toString()).doesNotContain("secret body text");

      String server = audit.recorder().chain().agentId();
      assertThat(
              new ChainVerifier(VerifyOptions.ours())
                  .verify(audit.ledger().store().events(server),
                      audit.recorder().chain().identity(0, Optional.empty()), Optional.empty())
                  .valid())
          .isTrue();
    }
  }

  @Test
  void aFullQueueNeverBlocksTheRelayAndEverySkippedPacketIsCountedOnTheRecord() throws Exception {
    int packets = 500;
    try (ServerAudit audit = open(EnumSet.of(AuditRecorder.Kind.RELAY))) {
      RelayAuditTap tap = audit.relayTap(1);
      Ed25519PrivateKey key = Ed25519PrivateKey.generate(RANDOM);
      for (int i = 0; i < packets; i++) {
        tap.forwarded("bot:a", "bot:b", RawKeepSocket.signed(key, "p" + i, "bot:a", "bot:b", "x"));
      }
      tap.close();
      List<AuditEvent> receipts = receipts(audit);
      long skippedOnRecord =
          receipts.stream().mapToLong(e -> e.payload().path("unrecorded_before").asLong(0)).sum();
      assertThat(receipts).hasSize((int) tap.recorded());
      assertThat(tap.recorded()).isLessThan(packets).isPositive();
      assertThat(tap.recorded() + skippedOnRecord + tap.unrecorded()).isEqualTo(packets);
    }
  }

  @Test
  void relayReceiptsAreOffByDefault() throws Exception {
    assertThat(ServerAudit.DEFAULT_KINDS).doesNotContain(AuditRecorder.Kind.RELAY)
        .contains(AuditRecorder.Kind.PAIRING, AuditRecorder.Kind.DELEGATION);
    try (ServerAudit audit = open(EnumSet.copyOf(ServerAudit.DEFAULT_KINDS))) {
      RelayAuditTap tap = audit.relayTap(10);
      tap.forwarded("bot:a", "bot:b", RawKeepSocket.signed(Ed25519PrivateKey.generate(RANDOM), "p", "bot:a", "bot:b", "x"));
      tap.close();
      assertThat(receipts(audit)).isEmpty();
      assertThat(tap.recorded()).isZero();
    }
  }
}
