package dev.handshake.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.crypto.Base64Text;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Sha256;
import dev.handshake.identity.IdentityDocument;
import dev.handshake.json.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** aiss.md §3 item 14: key rotation with proof of possession by the new key. */
class KeyRotationTest {
  private static final long T = 1767225600;
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(T), ZoneOffset.UTC);
  private static final Ed25519PrivateKey OLD = AissVectors.key("A");
  private static final Ed25519PrivateKey NEW = AissVectors.key("B");

  private final AuditStore store = new InMemoryAuditStore();
  private final AgentChain oldChain = AgentChain.open(OLD, store, CLOCK);
  private final IdentityDocument oldIdentity = oldChain.identity(T, Optional.empty());

  private static ObjectNode order() {
    return Json.object().put("event_type", "order").put("order_id", "A-17");
  }

  /** The reference's create_rotation_pcp_event payload: no new_key_signature. */
  private static ObjectNode referencePayload() {
    ObjectNode payload = KeyRotation.payload(OLD.publicKey(), NEW, T);
    payload.remove(KeyRotation.NEW_KEY_SIGNATURE);
    return payload;
  }

  @Test
  @DisplayName("§3 item 14: a rotation signed by both keys, continued by a linked chain, verifies")
  void item14_aRotationSignedByBothKeysLinksTheNewChain() {
    oldChain.append(order());

    AuditEvent rotation = KeyRotation.rotate(oldChain, NEW, CLOCK);
    AgentChain newChain = AgentChain.openAfterRotation(NEW, store, CLOCK, rotation);
    newChain.append(order());

    assertThat(rotation.payload().propertyNames())
        .containsExactly("event_type", "attestation_type", "previous_agent_id",
            "previous_public_key", "new_agent_id", "new_public_key", "rotation_timestamp",
            "new_key_signature");
    assertThat(rotation.payload().path("new_public_key").stringValue()).isEqualTo(NEW.publicKey().base64());
    assertThat(newChain.events().getFirst().previousHash()).contains(rotation.hash());
    RotationReport report =
        KeyRotation.verify(oldIdentity, rotation, newChain.events(), VerifyOptions.ours());
    assertThat(report.status()).as(report.problems().toString()).isEqualTo(RotationReport.Status.VALID);
    assertThat(report.linkageValid()).contains(true);
    assertThat(report.newAgentId()).isEqualTo(AissVectors.agentId("B"));
    // The rotation is an ordinary event of the old chain: ours and the reference's verifier accept it.
    for (VerifyOptions options : List.of(VerifyOptions.ours(), VerifyOptions.reference())) {
      assertThat(new ChainVerifier(options).verify(oldChain.events(), oldIdentity, Optional.empty()).valid())
          .isTrue();
    }
  }

  @Test
  @DisplayName("§3 item 14: a reference rotation (no new_key_signature) is reported, not passed")
  void item14_aRotationWithoutNewKeySignatureHasNoProofOfPossession() {
    AuditEvent rotation = oldChain.append(referencePayload());
    AgentChain newChain = AgentChain.openAfterRotation(NEW, store, CLOCK, rotation);
    newChain.append(order());

    RotationReport report =
        KeyRotation.verify(oldIdentity, rotation, newChain.events(), VerifyOptions.ours());

    assertThat(report.status()).isEqualTo(RotationReport.Status.NO_PROOF_OF_POSSESSION);
    assertThat(report.valid()).isFalse();
    assertThat(report.problems()).isEmpty();
    assertThat(report.toJson().path("status").stringValue()).isEqualTo("no-proof-of-possession");
    assertThat(report.toJson().path("proof_of_possession").booleanValue()).isFalse();
  }

  @Test
  @DisplayName("§3 item 14: a new_key_signature not made by the new key is invalid")
  void item14_aForgedNewKeySignatureIsInvalid() {
    ObjectNode payload = referencePayload();
    // The old key holder signs in the new key's place: exactly what the proof must rule out.
    byte[] forged = OLD.sign(AuditEvent.canonicalWithout(payload, KeyRotation.NEW_KEY_SIGNATURE));
    payload.put(KeyRotation.NEW_KEY_SIGNATURE, Base64Text.encode(forged));
    AuditEvent rotation = oldChain.append(payload);

    RotationReport report = KeyRotation.verify(oldIdentity, rotation, List.of(), VerifyOptions.ours());

    assertThat(report.status()).isEqualTo(RotationReport.Status.INVALID);
    assertThat(report.problems()).containsExactly("new_key_signature does not verify with new_public_key");
  }

  @Test
  void anUndecodableNewKeySignatureIsInvalid() {
    ObjectNode payload = referencePayload().put(KeyRotation.NEW_KEY_SIGNATURE, "!!**");
    AuditEvent rotation = oldChain.append(payload);

    RotationReport report = KeyRotation.verify(oldIdentity, rotation, List.of(), VerifyOptions.ours());

    assertThat(report.status()).isEqualTo(RotationReport.Status.INVALID);
    assertThat(report.problems()).containsExactly("new_key_signature is not standard Base64 of 64 bytes");
  }

  @Test
  @DisplayName("§3 item 14: a new chain that does not start from the rotation hash is invalid")
  void item14_aNewChainNotLinkedToTheRotationIsInvalid() {
    AuditEvent rotation = KeyRotation.rotate(oldChain, NEW, CLOCK);
    // Opened as a fresh identity: genesis previous_hash = SHA-256(new key), not the rotation hash.
    AgentChain unlinked = AgentChain.open(NEW, new InMemoryAuditStore(), CLOCK);
    unlinked.append(order());

    RotationReport report =
        KeyRotation.verify(oldIdentity, rotation, unlinked.events(), VerifyOptions.ours());

    assertThat(report.status()).isEqualTo(RotationReport.Status.INVALID);
    assertThat(report.linkageValid()).contains(false);
    assertThat(report.problems())
        .containsExactly("the new chain's first previous_hash is not the rotation event's hash "
            + rotation.hash());
    assertThat(unlinked.events().getFirst().previousHash()).contains(Sha256.hex(NEW.publicKey().raw()));
  }

  @Test
  void aRotationEventEditedAfterSigningFailsBothSignatures() {
    AuditEvent rotation = KeyRotation.rotate(oldChain, NEW, CLOCK);
    ObjectNode edited = rotation.json();
    ((ObjectNode) edited.path("payload")).put("rotation_timestamp", T + 1);

    RotationReport report =
        KeyRotation.verify(oldIdentity, AuditEvent.of(edited), List.of(), VerifyOptions.ours());

    assertThat(report.status()).isEqualTo(RotationReport.Status.INVALID);
    assertThat(report.problems())
        .anyMatch(p -> p.startsWith("rotation event: Signature error"))
        .contains("new_key_signature does not verify with new_public_key");
  }

  @Test
  void aRotationCheckedAgainstAnotherOldIdentityIsInvalid() {
    AuditEvent rotation = KeyRotation.rotate(oldChain, NEW, CLOCK);
    IdentityDocument someoneElse = IdentityDocument.of(NEW.publicKey(), T, Optional.empty());

    RotationReport report = KeyRotation.verify(someoneElse, rotation, List.of(), VerifyOptions.ours());

    assertThat(report.status()).isEqualTo(RotationReport.Status.INVALID);
    assertThat(report.problems()).contains("previous_public_key is not the old identity's key");
  }

  @Test
  void theNewChainCanOnlyBeOpenedForTheKeyTheRotationNames() {
    AuditEvent rotation = KeyRotation.rotate(oldChain, NEW, CLOCK);

    assertThatThrownBy(() -> AgentChain.openAfterRotation(OLD, store, CLOCK, rotation))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a key rotation to this key");
  }

  @Test
  void rotatingToTheSameKeyIsRefused() {
    assertThatThrownBy(() -> KeyRotation.rotate(oldChain, OLD, CLOCK))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
