package dev.handshake.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.json.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** aiss.md §4 items 6 (canonical-branch selection) and 8 (trust score). */
class ForkAndTrustTest {
  private static final String A = AissVectors.agentId("A");

  private static ObjectNode payload(String type) {
    ObjectNode p = Json.object();
    p.put("event_type", type);
    return p;
  }

  private static AuditEvent child(AuditEvent parent, String nonce, long ts) {
    return EventStamper.stamp(AissVectors.key("A"), A, payload("branch"), parent.hash(), ts, nonce,
        SignatureEncoding.BASE64);
  }

  /** Events 0..2 of the vector chain, then two branches from event 2: lengths 1 and 2. */
  private static List<AuditEvent> forked() {
    List<AuditEvent> base = new ArrayList<>(AissVectors.chainEvents().subList(0, 3));
    AuditEvent shortTip = child(base.get(2), "s-1", 1767225640);
    AuditEvent long1 = child(base.get(2), "l-1", 1767225640);
    AuditEvent long2 = child(long1, "l-2", 1767225650);
    base.add(shortTip);
    base.add(long1);
    base.add(long2);
    return base;
  }

  @Test
  void item06_canonicalBranchSelectionPrefersTheLongerBranch() {
    List<AuditEvent> events = forked();
    String forkPoint = events.get(2).hash();
    assertThat(ForkBranches.branches(events, forkPoint)).hasSize(2);
    assertThat(ForkBranches.canonical(events, forkPoint).orElseThrow())
        .extracting(AuditEvent::nonce)
        .containsExactly("l-1", "l-2");
    ChainReport report =
        new ChainVerifier(VerifyOptions.ours()).verify(events, AissVectors.identityA(), Optional.empty());
    assertThat(report.forksDetected()).containsExactly(forkPoint);
  }

  @Test
  void item06_aTsaAnchoredBranchWinsOverALongerOne() {
    List<AuditEvent> events = forked();
    ObjectNode anchored = events.get(3).json();
    anchored.putObject("trusted_timestamp").put("rfc3161_token", "base64:MIIB").put("timestamp", 1767225641);
    events.set(3, AuditEvent.of(anchored));
    assertThat(ForkBranches.canonical(events, events.get(2).hash()).orElseThrow())
        .extracting(AuditEvent::nonce)
        .containsExactly("s-1");
  }

  @Test
  void item06_selectionIsDeterministicWhateverTheInputOrder() {
    List<AuditEvent> events = forked();
    AuditEvent a = child(events.get(2), "t-a", 1767225640);
    AuditEvent b = child(events.get(2), "t-b", 1767225640);
    List<AuditEvent> twins = new ArrayList<>(events.subList(0, 3));
    twins.add(a);
    twins.add(b);
    List<AuditEvent> reversed = new ArrayList<>(twins);
    Collections.reverse(reversed);
    String expected = a.hash().compareTo(b.hash()) < 0 ? a.hash() : b.hash();
    assertThat(ForkBranches.canonical(twins, events.get(2).hash()).orElseThrow().getLast().hash())
        .isEqualTo(expected);
    assertThat(ForkBranches.canonical(reversed, events.get(2).hash()).orElseThrow().getLast().hash())
        .isEqualTo(expected);
  }

  @Test
  void item08_trustScoreOfNothingIsOneElite() {
    TrustScore empty = TrustScore.verified(A, List.of(),
        new ChainVerifier(VerifyOptions.ours()).verify(List.of(), AissVectors.identityA(), Optional.empty()));
    assertThat(empty.score()).isEqualTo(1.0);
    assertThat(empty.tier()).isEqualTo("Elite");
    assertThat(TrustScore.presenceBased(A, List.of()).score()).isEqualTo(1.0);
  }

  @Test
  void item08_ourScoreCountsOnlyVerifiedSignaturesWhileThePresenceFormulaIsFooled() {
    List<AuditEvent> events = new ArrayList<>(AissVectors.chainEvents());
    for (int i = 1; i < events.size(); i++) {
      ObjectNode forged = events.get(i).json();
      ((ObjectNode) forged.path("payload")).put("forged", true);
      events.set(i, AuditEvent.of(forged));
    }
    ChainReport report =
        new ChainVerifier(VerifyOptions.ours()).verify(events, AissVectors.identityA(), Optional.empty());
    TrustScore ours = TrustScore.verified(A, events, report);
    TrustScore presence = TrustScore.presenceBased(A, events);
    assertThat(presence.score()).isEqualTo(1.0);
    assertThat(presence.toJson().path("method").stringValue()).isEqualTo("PiQrypt formula (presence-based)");
    assertThat(ours.signatureIntegrity()).isEqualTo(0.25);
    assertThat(ours.score()).isBetween(0.0, 1.0).isLessThan(0.7);
    assertThat(ours.tier()).isEqualTo("At Risk");
  }

  @Test
  void item08_aReferenceHandshakeEventIsNotCrossValidatedButOursIs() throws Exception {
    Clock at = Clock.fixed(Instant.ofEpochSecond(1767225700), ZoneOffset.UTC);
    A2aHandshake alice = new A2aHandshake(AissVectors.key("A"), at);
    A2aHandshake bob = new A2aHandshake(AissVectors.key("B"), at);
    ObjectNode proposal = alice.propose(A2aHandshake.DEFAULT_CAPABILITIES, Optional.empty());
    ObjectNode response = bob.respond(proposal, List.of("stamp"));
    AgentChain chain = AgentChain.open(AissVectors.key("A"), new InMemoryAuditStore(), at);
    chain.append(alice.handshakePayload(proposal, response));
    ChainVerifier verifier = new ChainVerifier(VerifyOptions.ours());
    ChainReport report = verifier.verify(chain.events(), chain.identity(0, Optional.empty()), Optional.empty());
    assertThat(TrustScore.verified(A, chain.events(), report).crossAgentValidation()).isEqualTo(1.0);

    AuditEvent reference = AuditEvent.of((ObjectNode) AissVectors.VECTORS.path("a2a").path("cosigned_event_initiator").deepCopy());
    ChainReport refReport =
        new ChainVerifier(VerifyOptions.foreign()).verify(List.of(reference), AissVectors.identityA(), Optional.empty());
    assertThat(TrustScore.verified(A, List.of(reference), refReport).crossAgentValidation()).isEqualTo(0.0);
    assertThat(TrustScore.presenceBased(A, List.of(reference)).crossAgentValidation()).isEqualTo(1.0);
  }
}
