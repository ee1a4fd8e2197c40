package dev.handshake.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.AuditRecorder;
import dev.handshake.identity.KeyProtection;
import dev.handshake.pairing.ApprovalTarget;
import dev.handshake.pairing.Approver;
import dev.handshake.pairing.PairingConfig;
import dev.handshake.pairing.RequestOutcome;
import dev.handshake.pairing.Requester;
import dev.handshake.pairing.http.PairingHttpApi;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pairing.md §3.2 rule 6 / §4 item 10: pairing events reach the signed audit chain, once each. */
class PairingAuditForwarderTest {
  @TempDir Path data;

  @Test
  void item10_eachPairingEventBecomesOneAuditEventNamingTheActor() throws Exception {
    try (ServerAudit audit = ServerAudit.open(data, Optional.empty(), ServerAudit.DEFAULT_ORIGIN,
            EnumSet.allOf(AuditRecorder.Kind.class), KeyProtection.defaults().withScryptN(KeyProtection.MIN_N),
            Clock.systemUTC());
        ServerPairing pairing = ServerPairing.open(data, "127.0.0.1", PairingConfig.defaults(),
            PairingHttpApi.Settings.DEFAULTS, Optional.empty(), Clock.systemUTC())) {
      RequestOutcome.Created c = (RequestOutcome.Created) pairing.store()
          .request(Requester.of("telegram", "111"), Map.of(), Optional.empty());
      pairing.store().approve(ApprovalTarget.code(c.code()), Approver.named("cli:owner"));
      pairing.recordTo(audit.recorder(), data);
      PairingAuditForwarder f = pairing.auditForwarder().orElseThrow();
      f.forward();
      pairing.store().revoke(Requester.of("telegram", "111"), "cli:root");
      f.forward();
      assertThat(f.forward()).as("nothing twice").isZero();
      List<AuditEvent> events = audit.ledger().store().events(audit.recorder().chain().agentId());
      assertThat(events).filteredOn(e -> e.json().path("payload").path("kind").asString("").equals("pairing"))
          .extracting(e -> e.json().path("payload").path("event_type").asString() + " "
              + e.json().path("payload").path("actor").asString())
          .containsExactly("pairing.requested telegram:default:111", "pairing.approved cli:owner",
              "pairing.revoked cli:root");
    }
  }
}
