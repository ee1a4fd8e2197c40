package dev.handshake.delegation;

import dev.handshake.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Wraps an agent framework's node (a function from state to result) so that every run ends with a
 * signed execution attestation, and checks such outputs on the receiving side (trusthandoff.md
 * §2.11 [0.3.1], the adapters' {@code wrap_node} / {@code verify_node_output}).
 *
 * <pre>{@code
 * AttestingAdapter adapter = AttestingAdapter.create(signer);
 * Function<ObjectNode, AttestingAdapter.NodeOutput> node =
 *     adapter.wrapNode(state -> answer(state));
 * AttestingAdapter.NodeOutput out = node.apply(state);          // state holds "packet_id"
 * AttestationCheck check = AttestingAdapter.verifyNodeOutput(
 *     out.toJson(), signer.publicKeyPem(), AttestationVerifier.DEFAULT_MAX_AGE, now, seenNonces);
 * }</pre>
 *
 * <p>What the wrapped node does, as the reference's adapters do:
 *
 * <ul>
 *   <li>no non-empty string under the packet-id key of the state → {@link IllegalArgumentException}
 *       before the node runs;
 *   <li>the node returns → its result must be an attestable payload; if it is not (a float, a
 *       reserved key, not an object, too large) that is the node's programming error and the {@link
 *       IllegalArgumentException} propagates; otherwise status {@code OK};
 *   <li>the node throws an {@link Exception} (checked or unchecked) → the failure is attested:
 *       result {@code {"error": message, "error_type": simple class name}}, status {@code ERROR},
 *       reason {@code {"node_error": true}}. An {@link Error} (out of memory, assertion, linkage)
 *       is never swallowed, like Python's {@code BaseException}s that {@code except Exception} lets
 *       through.
 * </ul>
 *
 * <p>Different from the reference: the error message is capped at 256 characters plus {@code "..."}
 * and lone surrogates become U+FFFD, so attesting a failure cannot itself fail (the reference then
 * returns no attestation at all); and {@link #verifyNodeOutput} verifies {@code ERROR} outputs
 * against the adapter's own {@code {"node_error": true}} reason, where the reference passes no
 * reason and so rejects every error output it produced.
 */
public final class AttestingAdapter {
  /** The state key the reference reads the packet id from. */
  public static final String DEFAULT_PACKET_ID_KEY = "packet_id";

  private static final int MAX_ERROR_MESSAGE = 256;

  private final AttestationSigner signer;
  private final String packetIdKey;

  /** A framework node: reads the state, returns its result, may fail with any exception. */
  @FunctionalInterface
  public interface Node {
    /** Runs the node on {@code state}. */
    ObjectNode run(ObjectNode state) throws Exception;
  }

  /**
   * What a wrapped node returns: the result and the attestation over it. Serialised with {@link
   * #toJson()} as the reference's {@code {"result": …, "attestation": …}}.
   */
  public record NodeOutput(ObjectNode result, ExecutionAttestation attestation) {
    /** Keeps its own copy: the attestation covers the result as it was attested. */
    public NodeOutput {
      result = result.deepCopy();
    }

    /** A copy of the attested result. */
    @Override
    public ObjectNode result() {
      return result.deepCopy();
    }

    /** {@code {"result": result, "attestation": attestation.toJson()}}. */
    public ObjectNode toJson() {
      ObjectNode n = Json.object();
      n.set("result", result.deepCopy());
      n.set("attestation", attestation.toJson());
      return n;
    }
  }

  private AttestingAdapter(AttestationSigner signer, String packetIdKey) {
    this.signer = Objects.requireNonNull(signer);
    this.packetIdKey = Objects.requireNonNull(packetIdKey);
  }

  /** An adapter that reads the packet id from {@value #DEFAULT_PACKET_ID_KEY}. */
  public static AttestingAdapter create(AttestationSigner signer) {
    return new AttestingAdapter(signer, DEFAULT_PACKET_ID_KEY);
  }

  /** An adapter that reads the packet id from the state key {@code packetIdKey}. */
  public static AttestingAdapter create(AttestationSigner signer, String packetIdKey) {
    return new AttestingAdapter(signer, packetIdKey);
  }

  /** The reason attested with every {@code ERROR}: {@code {"node_error": true}}. */
  public static ObjectNode nodeErrorReason() {
    ObjectNode reason = Json.object();
    reason.put("node_error", true);
    return reason;
  }

  /** {@code fn} wrapped as the class comment describes. */
  public Function<ObjectNode, NodeOutput> wrapNode(Node fn) {
    Objects.requireNonNull(fn);
    return state -> run(fn, state);
  }

  private NodeOutput run(Node fn, ObjectNode state) {
    JsonNode id = state.path(packetIdKey);
    if (!id.isString() || id.stringValue().isEmpty()) {
      throw new IllegalArgumentException("missing '" + packetIdKey + "' in state");
    }
    String packetId = id.stringValue();
    ObjectNode result;
    try {
      result = fn.run(state);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt(); // keep the request to stop; the run ended in error
      }
      ObjectNode error = Json.object();
      error.put("error", boundedMessage(e));
      error.put("error_type", typeName(e));
      ExecutionAttestation att =
          signer.attest(
              packetId, error, ExecutionAttestation.Status.ERROR, Optional.of(nodeErrorReason()));
      return new NodeOutput(error, att);
    }
    if (result == null) {
      throw new IllegalArgumentException("the node returned null instead of a JSON object");
    }
    // A result that cannot be attested is the node's bug: it propagates (reference behaviour).
    AttestationPayload.requireValid(result);
    return new NodeOutput(
        result, signer.attest(packetId, result, ExecutionAttestation.Status.OK, Optional.empty()));
  }

  /**
   * Checks a {@link NodeOutput} as produced by {@link #wrapNode}; see {@link
   * #verifyNodeOutput(JsonNode, String, Duration, Instant, ReplayStore)}.
   */
  public static AttestationCheck verifyNodeOutput(
      NodeOutput output,
      String publicKeyPem,
      Duration maxAge,
      Instant now,
      ReplayStore seenNonces) {
    return verify(output.attestation(), output.result(), publicKeyPem, maxAge, now, seenNonces);
  }

  /**
   * Checks a serialised node output {@code {"result": {…}, "attestation": {…}}}: the attestation
   * must parse (unknown fields refused), verify for the result with {@link AttestationVerifier}
   * (for {@code ERROR} with the reason {@code {"node_error": true}}, otherwise with none), and its
   * {@code (agent_pubkey_fingerprint, nonce)} must be new to {@code seenNonces}. The pair is
   * recorded only once everything else verified, until the attestation would be stale anyway; share
   * one bounded store (e.g. {@link InMemoryReplayStore}) across calls for the same peer.
   */
  public static AttestationCheck verifyNodeOutput(
      JsonNode output, String publicKeyPem, Duration maxAge, Instant now, ReplayStore seenNonces) {
    if (!output.isObject()) {
      return new AttestationCheck.Invalid(AttestationCheck.MALFORMED_OUTPUT);
    }
    JsonNode result = output.path("result");
    if (result.isMissingNode() || result.isNull()) {
      return new AttestationCheck.Invalid(AttestationCheck.MALFORMED_OUTPUT);
    }
    JsonNode raw = output.path("attestation");
    if (raw.isMissingNode() || raw.isNull()) {
      return new AttestationCheck.Invalid(AttestationCheck.MISSING_ATTESTATION);
    }
    ExecutionAttestation attestation;
    try {
      attestation = ExecutionAttestation.fromJson(raw);
    } catch (MalformedPacketException e) {
      return new AttestationCheck.Invalid(AttestationCheck.MALFORMED_ATTESTATION);
    }
    return verify(attestation, result, publicKeyPem, maxAge, now, seenNonces);
  }

  private static AttestationCheck verify(
      ExecutionAttestation attestation,
      JsonNode result,
      String publicKeyPem,
      Duration maxAge,
      Instant now,
      ReplayStore seenNonces) {
    Optional<JsonNode> reason =
        attestation.status() == ExecutionAttestation.Status.ERROR
            ? Optional.of(nodeErrorReason())
            : Optional.empty();
    AttestationCheck check =
        AttestationVerifier.verify(attestation, publicKeyPem, result, reason, maxAge, now);
    if (!check.valid()) {
      return check;
    }
    // Past this instant the attestation is stale, so the pair need not be remembered longer.
    Instant retainUntil =
        Instant.ofEpochMilli(retainUntilMillis(attestation.timestampMs(), maxAge));
    return switch (seenNonces.checkAndRecord(
        attestation.agentPubkeyFingerprint(), attestation.nonce().toString(), retainUntil, now)) {
      case FIRST -> check;
      case REPLAY -> new AttestationCheck.Invalid(AttestationCheck.REPLAY_DETECTED);
      case FULL -> new AttestationCheck.Invalid(AttestationCheck.REPLAY_STORE_FULL);
    };
  }

  private static long retainUntilMillis(long timestampMs, Duration maxAge) {
    try {
      return Math.addExact(Math.addExact(timestampMs, maxAge.toMillis()), 1);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  private static String boundedMessage(Exception e) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    StringBuilder out = new StringBuilder(Math.min(m.length(), MAX_ERROR_MESSAGE * 2) + 3);
    int count = 0;
    for (int i = 0; i < m.length(); count++) {
      if (count == MAX_ERROR_MESSAGE) {
        return out.append("...").toString();
      }
      int cp = m.codePointAt(i);
      // codePointAt yields a surrogate value only for an unpaired surrogate.
      out.appendCodePoint(
          cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE ? 0xFFFD : cp);
      i += Character.charCount(cp);
    }
    return out.toString();
  }

  private static String typeName(Exception e) {
    String simple = e.getClass().getSimpleName();
    return simple.isEmpty() ? e.getClass().getName() : simple;
  }
}
