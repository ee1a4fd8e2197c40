package dev.handshake.delegation;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Sha256;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Signs execution attestations for one agent (trusthandoff.md §2.12 [0.3.1]): the agent's key, the
 * id it writes in {@code signed_by}, and the clock and randomness for timestamps and nonces.
 *
 * <pre>{@code
 * AttestationSigner signer =
 *     AttestationSigner.create(agentId, key, Clock.systemUTC(), new SecureRandom());
 * ExecutionAttestation att = signer.attest("pk-1", result, Status.OK, Optional.empty());
 * }</pre>
 */
public final class AttestationSigner {
  /**
   * The reference refuses timestamps before 2020-01-01T00:00:00Z: a clock that far off is broken.
   */
  public static final long TIMESTAMP_FLOOR_MS = 1_577_836_800_000L;

  private final String agentId;
  private final Ed25519PrivateKey key;
  private final Clock clock;
  private final SecureRandom random;

  private AttestationSigner(
      String agentId, Ed25519PrivateKey key, Clock clock, SecureRandom random) {
    this.agentId = Objects.requireNonNull(agentId);
    this.key = Objects.requireNonNull(key);
    this.clock = Objects.requireNonNull(clock);
    this.random = Objects.requireNonNull(random);
  }

  /**
   * A signer for {@code agentId} (written to {@code signed_by}; for reference peers usually {@link
   * dev.handshake.identity.AgentIds#trustHandoff} of the key).
   */
  public static AttestationSigner create(
      String agentId, Ed25519PrivateKey key, Clock clock, SecureRandom random) {
    return new AttestationSigner(agentId, key, clock, random);
  }

  /** The agent id written to {@code signed_by}. */
  public String agentId() {
    return agentId;
  }

  /** The PEM a verifier needs ({@link PublicKeyPem#of}). */
  public String publicKeyPem() {
    return PublicKeyPem.of(key.publicKey());
  }

  /**
   * Attests that {@code packetId} ended with {@code status} and {@code result}, with a fresh random
   * 128-bit nonce and the clock's current time.
   *
   * @throws IllegalArgumentException if {@code result} or {@code reason} is not an attestable
   *     payload ({@link AttestationPayload#requireValid}: floats, reserved keys, too large) or the
   *     clock is before 2020
   */
  public ExecutionAttestation attest(
      String packetId,
      JsonNode result,
      ExecutionAttestation.Status status,
      Optional<JsonNode> reason) {
    return attest(packetId, result, status, reason, new BigInteger(128, random), clock.millis());
  }

  /**
   * As {@link #attest(String, JsonNode, ExecutionAttestation.Status, Optional)} with a given nonce
   * and timestamp, for known-answer tests and callers that manage nonces themselves.
   *
   * @throws IllegalArgumentException as above, or for a nonce outside 0..2^128−1
   */
  public ExecutionAttestation attest(
      String packetId,
      JsonNode result,
      ExecutionAttestation.Status status,
      Optional<JsonNode> reason,
      BigInteger nonce,
      long timestampMs) {
    AttestationPayload.requireValid(result);
    reason.ifPresent(AttestationPayload::requireValid);
    if (timestampMs < TIMESTAMP_FLOOR_MS) {
      throw new IllegalArgumentException("timestamp_ms is before 2020-01-01T00:00:00Z");
    }
    ExecutionAttestation unsigned =
        new ExecutionAttestation(
            packetId,
            status,
            AttestationPayload.hash(result),
            nonce,
            timestampMs,
            agentId,
            Sha256.hex(key.publicKey().raw()),
            "",
            reason.map(AttestationPayload::hash));
    String signature =
        Base64.getUrlEncoder().withoutPadding().encodeToString(key.sign(unsigned.signedBytes()));
    return new ExecutionAttestation(
        unsigned.packetId(),
        unsigned.status(),
        unsigned.outcomeHash(),
        unsigned.nonce(),
        unsigned.timestampMs(),
        unsigned.signedBy(),
        unsigned.agentPubkeyFingerprint(),
        signature,
        unsigned.reasonHash());
  }

  @Override
  public String toString() {
    return "AttestationSigner[agentId=" + agentId + ", key=<redacted>]";
  }
}
