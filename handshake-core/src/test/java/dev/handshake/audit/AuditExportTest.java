package dev.handshake.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.identity.IdentityDocument;
import dev.handshake.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** aiss.md §2.7 and §4 items 10, 13, 25: AISS-1.0-AUDIT exports. */
class AuditExportTest {
  private static final byte[] CHAIN_FILE = AissVectors.bytes("/vectors/aiss/chain.json");

  @Test
  void item10_theReferenceExportReadsAndWritesBackByteForByte() throws Exception {
    AuditExport parsed = AuditExport.parse(CHAIN_FILE);
    assertThat(parsed.chainIntegrityHashMatches()).isTrue();
    assertThat(parsed.events()).hasSize(4);
    assertThat(parsed.toBytes()).isEqualTo(CHAIN_FILE);
  }

  @Test
  void item10_anExportBuiltFromTheEventsEqualsTheReferenceFile() {
    AuditExport ours =
        AuditExport.of(AissVectors.identityA(), AissVectors.chainEvents(), 1767229200, Optional.empty());
    assertThat(ours.chainIntegrityHash())
        .isEqualTo("5a931660ad0de017dc3161d52d324c1b25cc1e3cb6d8af3d7092a97988d3ecc1");
    assertThat(new String(ours.referenceExact().toBytes(), StandardCharsets.UTF_8))
        .isEqualTo(new String(CHAIN_FILE, StandardCharsets.UTF_8));
  }

  @Test
  void item25_ourExportCarriesASignedHeadThatSurvivesTheRoundTripAndPassesTheReferenceChecks()
      throws Exception {
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(new SecureRandom());
    AgentChain chain =
        AgentChain.open(
            key, new InMemoryAuditStore(), Clock.fixed(Instant.ofEpochSecond(1767225600), ZoneOffset.UTC));
    for (int i = 0; i < 3; i++) {
      ObjectNode p = Json.object();
      p.put("event_type", "step");
      p.put("i", i);
      chain.append(p);
    }
    ChainHead head = chain.signHead();
    IdentityDocument identity = chain.identity(1767225600, Optional.empty());
    byte[] file = AuditExport.of(identity, chain.events(), 1767229200, Optional.of(head)).toBytes();
    AuditExport back = AuditExport.parse(file);
    assertThat(back.head()).contains(head);
    assertThat(back.exporter()).isEqualTo(AuditExport.EXPORTER);
    IdentityDocument readIdentity = IdentityDocument.parse(back.identityJson(), true, false);
    assertThat(new ChainVerifier(VerifyOptions.ours()).verify(back.events(), readIdentity, back.head()).valid())
        .isTrue();
    // What the reference CLI `piqrypt audit` checks: spec, then verify_chain on the events.
    assertThat(new ChainVerifier(VerifyOptions.reference()).verify(back.events(), readIdentity, Optional.empty()).valid())
        .isTrue();
  }

  @Test
  void aBrokenChainHashIsReportedNotThrown() throws Exception {
    String text = new String(CHAIN_FILE, StandardCharsets.UTF_8).replace("5a931660ad", "0000000000");
    assertThat(AuditExport.parse(text.getBytes(StandardCharsets.UTF_8)).chainIntegrityHashMatches())
        .isFalse();
  }

  @Test
  void malformedExportsAreRefusedWithAReason() {
    assertThatThrownBy(() -> AuditExport.parse("{".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("not a JSON audit export");
    assertThatThrownBy(() -> AuditExport.parse("{\"spec\":\"AISS-2.0-OTHER\"}".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("spec must be");
    String dup = "{\"spec\":\"AISS-1.0-AUDIT\",\"spec\":\"AISS-1.0-AUDIT\"}";
    assertThatThrownBy(() -> AuditExport.parse(dup.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(AuditExport.InvalidExportException.class);
    String noEvents = "{\"spec\":\"AISS-1.0-AUDIT\",\"agent_identity\":{},\"events\":{}}";
    assertThatThrownBy(() -> AuditExport.parse(noEvents.getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("events must be an array");
  }
}
