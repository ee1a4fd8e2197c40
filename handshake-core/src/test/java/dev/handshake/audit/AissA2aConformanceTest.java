package dev.handshake.audit;

import static dev.handshake.audit.AissVectors.VECTORS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.crypto.Sha256;
import dev.handshake.identity.IdentityDocument;
import dev.handshake.json.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** aiss.md §4 items 8, 16, 17 and 24: the A2A handshake. */
class AissA2aConformanceTest {
  private static final long T = 1767225700;
  private static final JsonNode A2A = VECTORS.path("a2a");

  private static Clock at(long seconds) {
    return Clock.fixed(Instant.ofEpochSecond(seconds), ZoneOffset.UTC);
  }

  private static ObjectNode vector(String name) {
    return (ObjectNode) A2A.path(name).deepCopy();
  }

  private static A2aHandshake a(long now) {
    return new A2aHandshake(AissVectors.key("A"), at(now));
  }

  private static A2aHandshake b(long now) {
    return new A2aHandshake(AissVectors.key("B"), at(now));
  }

  // Item 16
  @Test
  void item16_vectorHashesRecomputeAndAllThreeMessagesVerifyWithBase58Keys() throws Exception {
    ObjectNode proposal = vector("proposal");
    ObjectNode response = vector("response");
    ObjectNode confirmation = vector("session_confirmation");
    assertThat(Sha256.hex(A2A.path("proposal_hash_input_canonical").stringValue()))
        .isEqualTo(response.path("proposal_hash").stringValue())
        .isEqualTo(A2aHandshake.messageHash(proposal));
    assertThat(A2aHandshake.messageHash(response))
        .isEqualTo(confirmation.path("response_hash").stringValue());
    A2aHandshake.verifyMessage(proposal, A2aHandshake.PROPOSAL, true);
    A2aHandshake.verifyResponse(proposal, response);
    b(T).verifyConfirmation(proposal, response, confirmation);
  }

  @Test
  void item16_ourMessagesReproduceTheVectorSignatures() {
    // Ed25519 is deterministic: re-signing the vector's content must give its signature.
    for (String name : List.of("proposal", "response", "session_confirmation")) {
      ObjectNode message = vector(name);
      String agent = message.path("agent_id").stringValue().equals(AissVectors.agentId("A")) ? "A" : "B";
      String expected = message.path("signature").stringValue();
      AuditEvent resigned = EventStamper.sign(AissVectors.key(agent), message, SignatureEncoding.BASE58);
      assertThat(resigned.signature()).as(name).isEqualTo(expected);
    }
  }

  // Item 17
  @Test
  void item17_handshakeAndExternalEventsVerifyAsBase58AndFailAsBase64() {
    IdentityDocument idA = AissVectors.identityA();
    IdentityDocument idB = AissVectors.identityB();
    ChainVerifier ours = new ChainVerifier(VerifyOptions.foreign());
    ChainVerifier reference = new ChainVerifier(VerifyOptions.reference());
    for (String name :
        List.of("cosigned_event_initiator", "cosigned_event_responder", "external_interaction_event")) {
      AuditEvent event = AuditEvent.of(vector(name));
      IdentityDocument id = event.agentId().equals(idA.agentId()) ? idA : idB;
      ChainReport detected = ours.verify(List.of(event), id, Optional.empty());
      assertThat(detected.events().getFirst().signature()).as(name).isEqualTo("valid");
      assertThat(detected.events().getFirst().encoding()).contains(SignatureEncoding.BASE58);
      assertThat(reference.verify(List.of(event), id, Optional.empty()).signaturesValid())
          .as(name)
          .isFalse();
    }
    assertThat(Sha256.hex(A2A.path("external_interaction_hash_input").stringValue()))
        .isEqualTo(A2A.path("external_interaction_event").path("payload").path("interaction_hash").stringValue());
    ObjectNode data = Json.object();
    data.put("n", 1);
    data.put("prompt_hash", "ab");
    assertThat(ExternalInteraction.referencePayload("external_gpt_agent", data))
        .isEqualTo(A2A.path("external_interaction_event").path("payload"));
  }

  @Test
  void item17_referenceHandshakeEventsReproduceByteForByte() {
    ObjectNode proposal = vector("proposal");
    ObjectNode response = vector("response");
    ObjectNode initiator = vector("cosigned_event_initiator");
    ObjectNode unsigned =
        EventStamper.unsigned(
            AissVectors.agentId("A"),
            A2aHandshake.referencePayload(AissVectors.agentId("A"), proposal, response),
            AissVectors.chainEvents().get(3).hash(),
            T,
            initiator.path("nonce").stringValue());
    assertThat(EventStamper.sign(AissVectors.key("A"), unsigned, SignatureEncoding.BASE58).json().toString())
        .isEqualTo(initiator.toString());
    ObjectNode responder = vector("cosigned_event_responder");
    ObjectNode unsignedB =
        EventStamper.unsigned(
            AissVectors.agentId("B"),
            A2aHandshake.referencePayload(AissVectors.agentId("B"), proposal, response),
            "genesis",
            T,
            responder.path("nonce").stringValue());
    assertThat(EventStamper.sign(AissVectors.key("B"), unsignedB, SignatureEncoding.BASE58).json().toString())
        .isEqualTo(responder.toString());
  }

  // Item 8
  @Test
  void item08_proposalHasTheReferenceFieldsAndDefaultCapabilities() throws Exception {
    ObjectNode proposal = a(T).propose(A2aHandshake.DEFAULT_CAPABILITIES, Optional.empty());
    assertThat(proposal.propertyNames())
        .containsExactly("version", "message_type", "agent_id", "public_key", "capabilities",
            "session_nonce", "timestamp", "signature");
    assertThat(proposal.path("capabilities").toString()).isEqualTo("[\"stamp\",\"verify\",\"a2a\"]");
    assertThat(proposal.path("public_key").stringValue())
        .isEqualTo(VECTORS.path("agents").path("A").path("public_key_b58").stringValue());
    A2aHandshake.verifyMessage(proposal, A2aHandshake.PROPOSAL, true);
  }

  @Test
  void item08_aTamperedTimestampOrInjectedAgentIdFails() {
    ObjectNode tampered = vector("proposal");
    tampered.put("timestamp", T + 1);
    assertThatThrownBy(() -> b(T).respond(tampered, List.of("stamp")))
        .isInstanceOf(HandshakeException.class)
        .hasMessageContaining("signature");
    ObjectNode injected = vector("proposal");
    injected.put("agent_id", AissVectors.agentId("B"));
    assertThatThrownBy(() -> b(T).respond(injected, List.of("stamp")))
        .isInstanceOf(HandshakeException.class)
        .hasMessageContaining("agent_id");
  }

  @Test
  void item08_fullFlowProducesVerifiableResponseConfirmationAndCoSignedEvents() throws Exception {
    A2aHandshake alice = a(T);
    A2aHandshake bob = b(T);
    ObjectNode proposal = alice.propose(List.of("stamp", "verify", "a2a"), Optional.empty());
    ObjectNode response = bob.respond(proposal, List.of("stamp", "a2a"));
    assertThat(response.path("accepted").booleanValue()).isTrue();
    assertThat(response.path("session_nonce")).isEqualTo(proposal.path("session_nonce"));
    assertThat(response.path("peer_agent_id").stringValue()).isEqualTo(alice.agentId());
    ObjectNode confirmation = alice.confirm(proposal, response);
    assertThat(confirmation.propertyNames())
        .containsExactly("version", "message_type", "agent_id", "session_id", "response_hash",
            "timestamp", "peer_agent_id", "signature");
    bob.verifyConfirmation(proposal, response, confirmation);

    AgentChain chainA = AgentChain.open(AissVectors.key("A"), new InMemoryAuditStore(), at(T));
    AgentChain chainB = AgentChain.open(AissVectors.key("B"), new InMemoryAuditStore(), at(T));
    AuditEvent eventA = chainA.append(alice.handshakePayload(proposal, response));
    AuditEvent eventB = chainB.append(bob.handshakePayload(proposal, response));
    assertThat(eventA.payload().path("my_role").stringValue()).isEqualTo("initiator");
    assertThat(eventB.payload().path("my_role").stringValue()).isEqualTo("responder");
    assertThat(eventA.payload().path("peer_signature")).isEqualTo(response.path("signature"));
    assertThat(eventB.payload().path("peer_signature")).isEqualTo(proposal.path("signature"));
    A2aHandshake.verifyPair(eventA, eventB);
    // Our handshake events are Base64-signed, so the reference verifier accepts them.
    ChainReport reference =
        new ChainVerifier(VerifyOptions.reference())
            .verify(chainA.events(), chainA.identity(T, Optional.empty()), Optional.empty());
    assertThat(reference.valid()).isTrue();
  }

  @Test
  void item08_aResponseVerifiedAgainstAnotherProposalFails() throws Exception {
    ObjectNode first = a(T).propose(A2aHandshake.DEFAULT_CAPABILITIES, Optional.empty());
    ObjectNode second = a(T).propose(A2aHandshake.DEFAULT_CAPABILITIES, Optional.empty());
    ObjectNode response = b(T).respond(first, List.of("stamp"));
    assertThatThrownBy(() -> A2aHandshake.verifyResponse(second, response))
        .isInstanceOf(HandshakeException.class)
        .hasMessageContaining("replay");
  }

  @Test
  void aResponseThatDeclinesOrIsAddressedElsewhereIsNotConfirmed() throws Exception {
    A2aHandshake alice = a(T);
    ObjectNode proposal = alice.propose(A2aHandshake.DEFAULT_CAPABILITIES, Optional.empty());
    ObjectNode declined = b(T).respond(proposal, List.of("stamp"));
    declined.put("accepted", false);
    declined.remove("signature");
    ObjectNode resigned =
        EventStamper.sign(AissVectors.key("B"), declined, SignatureEncoding.BASE58).json();
    assertThatThrownBy(() -> alice.confirm(proposal, resigned))
        .hasMessageContaining("did not accept");
  }

  @Test
  void aTamperedPeerMessageInACoSignedEventIsDetected() throws Exception {
    A2aHandshake alice = a(T);
    ObjectNode proposal = alice.propose(A2aHandshake.DEFAULT_CAPABILITIES, Optional.empty());
    ObjectNode response = b(T).respond(proposal, List.of("stamp"));
    ObjectNode payload = alice.handshakePayload(proposal, response);
    ((ObjectNode) payload.path("peer_message")).put("accepted", false);
    AuditEvent event =
        AgentChain.open(AissVectors.key("A"), new InMemoryAuditStore(), at(T)).append(payload);
    assertThatThrownBy(() -> A2aHandshake.verifyCosignature(event))
        .isInstanceOf(HandshakeException.class);
  }

  // Item 24
  @Test
  void item24_aReplayedOrStaleProposalIsRefused() throws Exception {
    A2aHandshake bob = b(T);
    ObjectNode proposal = a(T).propose(A2aHandshake.DEFAULT_CAPABILITIES, Optional.empty());
    bob.respond(proposal, List.of("stamp"));
    assertThatThrownBy(() -> bob.respond(proposal, List.of("stamp")))
        .isInstanceOf(HandshakeException.class)
        .hasMessageContaining("already used");
    ObjectNode old = a(T - 61).propose(A2aHandshake.DEFAULT_CAPABILITIES, Optional.empty());
    assertThatThrownBy(() -> bob.respond(old, List.of("stamp")))
        .isInstanceOf(HandshakeException.class)
        .hasMessageContaining("±60");
    assertThatCode(() -> b(T).respond(vector("proposal"), List.of("stamp")))
        .doesNotThrowAnyException();
  }

  @Test
  void aForgedProposalDoesNotBurnTheRealNonce() throws Exception {
    A2aHandshake bob = b(T);
    ObjectNode proposal = a(T).propose(A2aHandshake.DEFAULT_CAPABILITIES, Optional.empty());
    ObjectNode forged = proposal.deepCopy();
    forged.put("timestamp", T + 5);
    assertThatThrownBy(() -> bob.respond(forged, List.of("stamp"))).isInstanceOf(HandshakeException.class);
    bob.respond(proposal, List.of("stamp"));
  }
}
