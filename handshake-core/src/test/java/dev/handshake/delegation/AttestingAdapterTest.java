package dev.handshake.delegation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.json.CanonicalJson;
import dev.handshake.json.Json;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** trusthandoff.md §4 item 17, adapter half (§2.11 [0.3.1] wrap_node / verify_node_output). */
class AttestingAdapterTest {
  private static final Instant NOW = Instant.parse("2026-03-22T12:00:00Z");
  private static final Duration MAX_AGE = AttestationVerifier.DEFAULT_MAX_AGE;
  private static final AttestationSigner SIGNER =
      AttestationSigner.create(
          HandoffVectors.agentId("B"),
          HandoffVectors.key("B"),
          Clock.fixed(NOW, ZoneOffset.UTC),
          new SecureRandom());
  private static final AttestingAdapter ADAPTER = AttestingAdapter.create(SIGNER);
  private static final String PEM = SIGNER.publicKeyPem();

  private static ObjectNode state(String packetId) {
    return Json.object().put("packet_id", packetId);
  }

  private static ObjectNode answer() {
    return Json.object().put("answer", "42");
  }

  private static String reasonOf(AttestationCheck check) {
    return check instanceof AttestationCheck.Invalid(String reason) ? reason : "valid";
  }

  private static AttestationCheck verify(JsonNode output, Instant now, ReplayStore seen) {
    return AttestingAdapter.verifyNodeOutput(output, PEM, MAX_AGE, now, seen);
  }

  @Test
  @DisplayName("item 17: a successful node returns its result with an OK attestation that verifies")
  void item17_successIsAttestedAndVerifies() {
    AttestingAdapter.NodeOutput out = ADAPTER.wrapNode(s -> answer()).apply(state("pk-1"));

    assertThat(out.result()).isEqualTo(answer());
    assertThat(out.attestation().status()).isEqualTo(ExecutionAttestation.Status.OK);
    assertThat(out.attestation().packetId()).isEqualTo("pk-1");
    assertThat(out.attestation().reasonHash()).isEmpty();
    assertThat(
            AttestingAdapter.verifyNodeOutput(out, PEM, MAX_AGE, NOW, new InMemoryReplayStore())
                .valid())
        .isTrue();
  }

  @Test
  @DisplayName("item 17: a node exception is attested as ERROR with reason {\"node_error\": true}")
  void item17_nodeErrorIsAttested() {
    AttestingAdapter.NodeOutput out =
        ADAPTER
            .wrapNode(s -> {
              throw new IllegalStateException("boom");
            })
            .apply(state("pk-2"));

    assertThat(out.result().path("error").stringValue()).isEqualTo("boom");
    assertThat(out.result().path("error_type").stringValue()).isEqualTo("IllegalStateException");
    assertThat(out.attestation().status()).isEqualTo(ExecutionAttestation.Status.ERROR);
    assertThat(out.attestation().reasonHash())
        .contains(AttestationPayload.hash(CanonicalJson.parse("{\"node_error\":true}")));
    assertThat(verify(out.toJson(), NOW, new InMemoryReplayStore()).valid())
        .as("unlike the reference, our verifier accepts the error outputs the adapter produces")
        .isTrue();
  }

  @Test
  @DisplayName("item 17: a checked exception is a node failure too")
  void item17_checkedExceptionIsAttested() {
    AttestingAdapter.NodeOutput out =
        ADAPTER
            .wrapNode(s -> {
              throw new IOException();
            })
            .apply(state("pk-2b"));

    assertThat(out.result())
        .isEqualTo(Json.object().put("error", "").put("error_type", "IOException"));
    assertThat(out.attestation().status()).isEqualTo(ExecutionAttestation.Status.ERROR);
  }

  @Test
  @DisplayName("item 17: an interrupted node is attested as ERROR and the interrupt is kept")
  void item17_interruptIsAttestedAndKept() {
    AttestingAdapter.NodeOutput out =
        ADAPTER
            .wrapNode(s -> {
              throw new InterruptedException("stop");
            })
            .apply(state("pk-2c"));

    assertThat(Thread.interrupted()).as("interrupt flag restored (and cleared here)").isTrue();
    assertThat(out.attestation().status()).isEqualTo(ExecutionAttestation.Status.ERROR);
  }

  @Test
  @DisplayName("item 17: a long error message is capped, so attesting the failure cannot fail")
  void item17_longErrorMessageIsCapped() {
    String huge = "e".repeat(300_000);
    AttestingAdapter.NodeOutput out =
        ADAPTER
            .wrapNode(s -> {
              throw new RuntimeException(huge);
            })
            .apply(state("pk-2d"));

    assertThat(out.result().path("error").stringValue()).isEqualTo("e".repeat(256) + "...");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"{}", "{\"packet_id\":\"\"}", "{\"packet_id\":null}", "{\"packet_id\":7}"})
  @DisplayName("item 17: a state without a packet id raises before the node runs")
  void item17_missingPacketIdRaises(String state) {
    AtomicBoolean ran = new AtomicBoolean();
    Function<ObjectNode, AttestingAdapter.NodeOutput> node =
        ADAPTER.wrapNode(s -> {
          ran.set(true);
          return answer();
        });

    assertThatThrownBy(() -> node.apply((ObjectNode) CanonicalJson.parse(state)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("packet_id");
    assertThat(ran).isFalse();
  }

  @Test
  @DisplayName("item 17: the packet id key is configurable")
  void item17_packetIdKeyIsConfigurable() {
    AttestingAdapter adapter = AttestingAdapter.create(SIGNER, "task_packet");

    AttestingAdapter.NodeOutput out =
        adapter.wrapNode(s -> answer()).apply(Json.object().put("task_packet", "pk-7"));

    assertThat(out.attestation().packetId()).isEqualTo("pk-7");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"score\":1.5}", "{\"packet_id\":\"x\"}", "{\"attestation\":null}"})
  @DisplayName("item 17: a result that cannot be attested is the node's bug and propagates")
  void item17_unattestableResultIsNotSwallowed(String result) {
    ObjectNode bad = (ObjectNode) CanonicalJson.parseKeepingFloatText(result, 4);

    assertThatThrownBy(() -> ADAPTER.wrapNode(s -> bad).apply(state("pk-3")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("item 17: a node returning null propagates as a programming error")
  void item17_nullResultIsNotSwallowed() {
    assertThatThrownBy(() -> ADAPTER.wrapNode(s -> null).apply(state("pk-3b")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("item 17: an Error thrown by the node is never swallowed")
  void item17_errorsAreNotSwallowed() {
    assertThatThrownBy(() ->
            ADAPTER
                .wrapNode(s -> {
                  throw new AssertionError("invariant broken");
                })
                .apply(state("pk-3c")))
        .isInstanceOf(AssertionError.class)
        .hasMessage("invariant broken");
  }

  @Test
  @DisplayName("item 17: the serialised output (JSON text round trip) verifies")
  void item17_serializedOutputVerifies() {
    AttestingAdapter.NodeOutput out =
        ADAPTER.wrapNode(s -> Json.object().put("answer", "sérialisé 😀")).apply(state("pk-4"));
    String wire = Json.text(out.toJson());

    AttestationCheck check = verify(CanonicalJson.parse(wire), NOW, new InMemoryReplayStore());

    assertThat(check.valid()).isTrue();
    assertThat(((AttestationCheck.Valid) check).attestation()).isEqualTo(out.attestation());
  }

  @Test
  @DisplayName("item 17: a stale output (600 s later, max age 300 s) is rejected")
  void item17_staleOutputIsRejected() {
    AttestingAdapter.NodeOutput out = ADAPTER.wrapNode(s -> answer()).apply(state("pk-5"));

    assertThat(reasonOf(verify(out.toJson(), NOW.plusSeconds(600), new InMemoryReplayStore())))
        .isEqualTo(AttestationCheck.STALE);
  }

  @Test
  @DisplayName("item 17: the seen-nonce store blocks a replay of the same output")
  void item17_seenNoncesBlockReplay() {
    AttestingAdapter.NodeOutput out = ADAPTER.wrapNode(s -> answer()).apply(state("pk-6"));
    ReplayStore seen = new InMemoryReplayStore();

    AttestationCheck first = verify(out.toJson(), NOW, seen);
    AttestationCheck second = verify(out.toJson(), NOW.plusSeconds(1), seen);

    assertThat(first.valid()).isTrue();
    assertThat(reasonOf(second)).isEqualTo(AttestationCheck.REPLAY_DETECTED);
  }

  @Test
  @DisplayName("item 17: a forged output does not burn the nonce of the genuine one")
  void item17_failedVerificationRecordsNoNonce() {
    AttestingAdapter.NodeOutput out = ADAPTER.wrapNode(s -> answer()).apply(state("pk-6b"));
    ObjectNode forged = out.toJson();
    forged.set("result", Json.object().put("answer", "43"));
    ReplayStore seen = new InMemoryReplayStore();

    assertThat(reasonOf(verify(forged, NOW, seen))).isEqualTo(AttestationCheck.OUTCOME_MISMATCH);
    assertThat(verify(out.toJson(), NOW, seen).valid()).isTrue();
  }

  @Test
  @DisplayName("item 17: a full seen-nonce store refuses rather than forgetting a live nonce")
  void item17_fullSeenNonceStoreFailsClosed() {
    Function<ObjectNode, AttestingAdapter.NodeOutput> node = ADAPTER.wrapNode(s -> answer());
    ReplayStore seen = new InMemoryReplayStore(1);

    assertThat(verify(node.apply(state("a")).toJson(), NOW, seen).valid()).isTrue();
    assertThat(reasonOf(verify(node.apply(state("b")).toJson(), NOW, seen)))
        .isEqualTo(AttestationCheck.REPLAY_STORE_FULL);
    Instant later = NOW.plus(MAX_AGE).plusSeconds(1);
    AttestationSigner laterSigner =
        AttestationSigner.create(
            HandoffVectors.agentId("B"),
            HandoffVectors.key("B"),
            Clock.fixed(later, ZoneOffset.UTC),
            new SecureRandom());
    ObjectNode fresh =
        AttestingAdapter.create(laterSigner).wrapNode(s -> answer()).apply(state("c")).toJson();
    assertThat(verify(fresh, later, seen).valid())
        .as("once the first attestation is stale its nonce is forgotten, making room")
        .isTrue();
  }

  @Test
  @DisplayName("item 17: malformed outputs are invalid with a specific reason, never an exception")
  void item17_malformedOutputsAreInvalid() {
    ObjectNode good = ADAPTER.wrapNode(s -> answer()).apply(state("pk-8")).toJson();
    ObjectNode noAttestation = good.deepCopy();
    noAttestation.putNull("attestation");
    ObjectNode extraField = good.deepCopy();
    ((ObjectNode) extraField.path("attestation")).put("injected", 1);
    ObjectNode noResult = good.deepCopy();
    noResult.remove("result");
    ReplayStore seen = new InMemoryReplayStore();

    assertThat(reasonOf(verify(CanonicalJson.parse("[]"), NOW, seen)))
        .isEqualTo(AttestationCheck.MALFORMED_OUTPUT);
    assertThat(reasonOf(verify(noResult, NOW, seen))).isEqualTo(AttestationCheck.MALFORMED_OUTPUT);
    assertThat(reasonOf(verify(noAttestation, NOW, seen)))
        .isEqualTo(AttestationCheck.MISSING_ATTESTATION);
    assertThat(reasonOf(verify(extraField, NOW, seen)))
        .isEqualTo(AttestationCheck.MALFORMED_ATTESTATION);
    assertThat(
            reasonOf(
                AttestingAdapter.verifyNodeOutput(
                    good, HandoffVectors.pem("A"), MAX_AGE, NOW, seen)))
        .isEqualTo(AttestationCheck.FINGERPRINT_MISMATCH);
  }

  @Test
  @DisplayName("item 17: the output keeps its own copy of the attested result")
  void item17_outputResultCannotBeChangedAfterAttesting() {
    ObjectNode result = answer();
    AttestingAdapter.NodeOutput out = ADAPTER.wrapNode(s -> result).apply(state("pk-9"));
    result.put("answer", "changed");
    out.result().put("answer", "changed too");

    assertThat(
            AttestingAdapter.verifyNodeOutput(out, PEM, MAX_AGE, NOW, new InMemoryReplayStore())
                .valid())
        .isTrue();
    assertThat(out.attestation().outcomeHash()).isEqualTo(AttestationPayload.hash(answer()));
    assertThat(Optional.of(out.result())).contains(answer());
  }
}
