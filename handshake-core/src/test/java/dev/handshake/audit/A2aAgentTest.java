package dev.handshake.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.audit.HandshakeException.Reason;
import dev.handshake.crypto.Ed25519PrivateKey;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/** aiss.md §4 items 8 and 24: the responder flow ({@code perform_handshake}) and the initiator's completion. */
class A2aAgentTest {
  private static final long T = 1767225700;

  @TempDir Path dir;

  private static Clock at(long seconds) {
    return Clock.fixed(Instant.ofEpochSecond(seconds), ZoneOffset.UTC);
  }

  private record Side(A2aAgent agent, AgentChain chain, PeerRegistry peers) {}

  private Side side(String name, long now) throws IOException {
    Ed25519PrivateKey key = AissVectors.key(name);
    AgentChain chain = AgentChain.open(key, new InMemoryAuditStore(), at(now));
    PeerRegistry peers = PeerRegistry.open(dir.resolve(name + "-peers.json"), at(now));
    return new Side(
        A2aAgent.of(new A2aHandshake(key, at(now)), chain, Optional.of(peers)), chain, peers);
  }

  private static ObjectNode proposalFromA(long now) {
    return new A2aHandshake(AissVectors.key("A"), at(now))
        .propose(A2aHandshake.DEFAULT_CAPABILITIES, Optional.empty());
  }

  @Test
  @DisplayName("item 8: the responder flow returns exactly the reference's keys")
  void item08_responderFlowReturnsTheReferenceFieldSet() throws Exception {
    Side bob = side("B", T);
    ObjectNode proposal = proposalFromA(T);

    A2aAgent.Responded result = bob.agent().respond(proposal, A2aHandshake.DEFAULT_CAPABILITIES);

    assertThat(result.toJson().propertyNames())
        .containsExactly("response", "cosigned_event", "session_id", "peer_agent_id");
    assertThat(result.peerAgentId()).isEqualTo(AissVectors.agentId("A"));
    assertThat(result.sessionId()).isEqualTo(result.response().path("session_id").stringValue());
    assertThat(result.toJson().path("cosigned_event")).isEqualTo(result.cosignedEvent().json());
  }

  @Test
  @DisplayName("item 8: the responder flow's response verifies against the proposal")
  void item08_responderFlowResponseVerifies() throws Exception {
    Side bob = side("B", T);
    ObjectNode proposal = proposalFromA(T);

    A2aAgent.Responded result = bob.agent().respond(proposal, List.of("stamp", "a2a"));

    assertThat(A2aHandshake.verifyResponse(proposal, result.response()))
        .isEqualTo(AissVectors.key("B").publicKey());
  }

  @Test
  @DisplayName("item 8: the co-signed event is in the responder's chain and verifies")
  void item08_cosignedEventVerifiesWithTheChainAndItsCosignature() throws Exception {
    Side bob = side("B", T);
    A2aAgent.Responded result = bob.agent().respond(proposalFromA(T), List.of("stamp"));

    AuditEvent event = result.cosignedEvent();
    A2aHandshake.verifyCosignature(event);
    assertThat(event.payload().path("my_role").stringValue()).isEqualTo("responder");
    assertThat(bob.chain().events()).containsExactly(event);
    ChainReport report =
        new ChainVerifier(VerifyOptions.ours())
            .verify(bob.chain().events(), bob.chain().identity(T, Optional.empty()), Optional.empty());
    assertThat(report.valid()).as(report.errors().toString()).isTrue();
    assertThat(report.events().getFirst().encoding()).contains(SignatureEncoding.BASE64);
  }

  @Test
  @DisplayName("item 8: a tampered proposal is refused, nothing stamped or recorded")
  void item08_tamperedProposalIsRejectedWithBadSignature() throws Exception {
    Side bob = side("B", T);
    ObjectNode tampered = proposalFromA(T);
    tampered.put("timestamp", T - 1);

    assertThatThrownBy(() -> bob.agent().respond(tampered, List.of("stamp")))
        .isInstanceOfSatisfying(
            HandshakeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
    assertThat(bob.chain().events()).isEmpty();
    assertThat(bob.peers().size()).isZero();
  }

  @Test
  @DisplayName("item 8: a proposal claiming another agent_id is refused as such")
  void item08_injectedAgentIdIsRejectedAsAgentIdMismatch() throws Exception {
    Side bob = side("B", T);
    ObjectNode injected = proposalFromA(T);
    injected.put("agent_id", AissVectors.agentId("B"));

    assertThatThrownBy(() -> bob.agent().respond(injected, List.of("stamp")))
        .isInstanceOfSatisfying(
            HandshakeException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.AGENT_ID_MISMATCH));
  }

  @Test
  @DisplayName("item 24: a replayed proposal is refused and stamps no second event")
  void item24_replayedProposalIsRefused() throws Exception {
    Side bob = side("B", T);
    ObjectNode proposal = proposalFromA(T);
    bob.agent().respond(proposal, List.of("stamp"));

    assertThatThrownBy(() -> bob.agent().respond(proposal, List.of("stamp")))
        .isInstanceOfSatisfying(
            HandshakeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.REPLAYED));
    assertThat(bob.chain().events()).hasSize(1);
    assertThat(bob.peers().get(AissVectors.agentId("A")).orElseThrow().interactionCount()).isEqualTo(1);
  }

  @Test
  @DisplayName("item 24: a proposal older than 60 s is refused as stale")
  void item24_staleProposalIsRefused() throws Exception {
    Side bob = side("B", T);

    assertThatThrownBy(() -> bob.agent().respond(proposalFromA(T - 61), List.of("stamp")))
        .isInstanceOfSatisfying(
            HandshakeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.STALE));
  }

  @Test
  void initiatorCompletesWithAConfirmationTheResponderAcceptsAndAPairOfEvents() throws Exception {
    Side alice = side("A", T);
    Side bob = side("B", T);
    ObjectNode proposal = alice.agent().propose(List.of("stamp", "verify", "a2a"), Optional.empty());
    A2aAgent.Responded responded = bob.agent().respond(proposal, List.of("stamp", "a2a"));

    A2aAgent.Completed completed = alice.agent().complete(proposal, responded.response());

    assertThat(completed.toJson().propertyNames())
        .containsExactly("confirmation", "cosigned_event", "session_id", "peer_agent_id");
    assertThat(completed.sessionId()).isEqualTo(responded.sessionId());
    assertThat(completed.peerAgentId()).isEqualTo(AissVectors.agentId("B"));
    new A2aHandshake(AissVectors.key("B"), at(T))
        .verifyConfirmation(proposal, responded.response(), completed.confirmation());
    A2aHandshake.verifyPair(completed.cosignedEvent(), responded.cosignedEvent());
    assertThat(alice.chain().events()).containsExactly(completed.cosignedEvent());
    assertThat(alice.peers().get(AissVectors.agentId("B"))).isPresent();
  }

  @Test
  void aResponseCompletesItsProposalOnlyOnce() throws Exception {
    Side alice = side("A", T);
    ObjectNode proposal = alice.agent().propose(A2aHandshake.DEFAULT_CAPABILITIES, Optional.empty());
    ObjectNode response = side("B", T).agent().respond(proposal, List.of("stamp")).response();
    alice.agent().complete(proposal, response);

    assertThatThrownBy(() -> alice.agent().complete(proposal, response))
        .isInstanceOfSatisfying(
            HandshakeException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_PROPOSAL));
    assertThat(alice.chain().events()).hasSize(1);
  }

  @Test
  void aProposalThisAgentDidNotMakeIsNotCompleted() throws Exception {
    Side alice = side("A", T);
    // Signed by A's key, but not through this A2aAgent: nothing outstanding to complete.
    ObjectNode proposal = proposalFromA(T);
    ObjectNode response = side("B", T).agent().respond(proposal, List.of("stamp")).response();

    assertThatThrownBy(() -> alice.agent().complete(proposal, response))
        .isInstanceOfSatisfying(
            HandshakeException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_PROPOSAL));
    assertThat(alice.chain().events()).isEmpty();
  }

  @Test
  void aForgedResponseLeavesTheProposalOutstanding() throws Exception {
    Side alice = side("A", T);
    ObjectNode proposal = alice.agent().propose(A2aHandshake.DEFAULT_CAPABILITIES, Optional.empty());
    ObjectNode response = side("B", T).agent().respond(proposal, List.of("stamp")).response();
    ObjectNode forged = response.deepCopy();
    forged.put("session_id", "00000000-0000-4000-8000-000000000000");

    assertThatThrownBy(() -> alice.agent().complete(proposal, forged))
        .isInstanceOfSatisfying(
            HandshakeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
    assertThat(alice.agent().complete(proposal, response).cosignedEvent()).isNotNull();
  }

  @Test
  void handshakeAndChainOfDifferentAgentsAreRefused() {
    AgentChain chainOfB = AgentChain.open(AissVectors.key("B"), new InMemoryAuditStore(), at(T));
    A2aHandshake handshakeOfA = new A2aHandshake(AissVectors.key("A"), at(T));

    assertThatThrownBy(() -> A2aAgent.of(handshakeOfA, chainOfB, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not the chain's agent");
  }
}
