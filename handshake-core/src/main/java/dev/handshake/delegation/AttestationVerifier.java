package dev.handshake.delegation;

import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.crypto.Sha256;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Checks an execution attestation against the result (and optional reason) it claims, a public key
 * and the clock (trusthandoff.md §2.12 [0.3.1]). The checks run in the reference's order: outcome
 * hash, reason hash, not more than {@link #FUTURE_SKEW} ahead, not older than the maximum age, key,
 * key fingerprint, signature. Every failure is an {@link AttestationCheck.Invalid}; none throws.
 *
 * <p>Replay is not checked here: a verifier that acts on attestations remembers {@code
 * (agent_pubkey_fingerprint, nonce)} for the freshness window, as {@link
 * AttestingAdapter#verifyNodeOutput} does.
 *
 * <p>Stricter than the reference: the signature must be canonical unpadded base64url (the reference
 * pads and discards stray characters), and results that cannot be hashed (floats) give {@code
 * invalid_result} where the reference raises.
 */
public final class AttestationVerifier {
  /** How far ahead of the verifier's clock a timestamp may be. */
  public static final Duration FUTURE_SKEW = Duration.ofSeconds(30);

  /** The reference's default maximum age. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(300);

  private AttestationVerifier() {}

  /**
   * Verifies {@code attestation} for {@code result} and, when the signer attested one, {@code
   * reason} (absent reason ⇔ absent {@code reason_hash}).
   *
   * @param maxAge how old the timestamp may be (not negative)
   */
  public static AttestationCheck verify(
      ExecutionAttestation attestation,
      String publicKeyPem,
      JsonNode result,
      Optional<JsonNode> reason,
      Duration maxAge,
      Instant now) {
    String outcomeHash;
    Optional<String> reasonHash;
    try {
      AttestationPayload.requireValid(result);
      reason.ifPresent(AttestationPayload::requireValid);
      outcomeHash = AttestationPayload.hash(result);
      reasonHash = reason.map(AttestationPayload::hash);
    } catch (IllegalArgumentException e) {
      return new AttestationCheck.Invalid(AttestationCheck.INVALID_RESULT);
    }
    return verifyHashes(attestation, publicKeyPem, outcomeHash, reasonHash, maxAge, now);
  }

  /**
   * Verifies {@code attestation} against hashes the caller already has (lowercase hex, as {@link
   * AttestationPayload#hash} gives).
   *
   * @param maxAge how old the timestamp may be (not negative)
   */
  public static AttestationCheck verifyHashes(
      ExecutionAttestation attestation,
      String publicKeyPem,
      String expectedOutcomeHash,
      Optional<String> expectedReasonHash,
      Duration maxAge,
      Instant now) {
    if (maxAge.isNegative()) {
      throw new IllegalArgumentException("maxAge must not be negative");
    }
    if (!expectedOutcomeHash.equals(attestation.outcomeHash())) {
      return new AttestationCheck.Invalid(AttestationCheck.OUTCOME_MISMATCH);
    }
    if (!expectedReasonHash.equals(attestation.reasonHash())) {
      return new AttestationCheck.Invalid(AttestationCheck.REASON_MISMATCH);
    }
    long nowMs = now.toEpochMilli();
    long ts = attestation.timestampMs();
    if (ts > saturatedAdd(nowMs, FUTURE_SKEW.toMillis())) {
      return new AttestationCheck.Invalid(AttestationCheck.TIMESTAMP_IN_FUTURE);
    }
    if (ts < saturatedAdd(nowMs, -millis(maxAge))) {
      return new AttestationCheck.Invalid(AttestationCheck.STALE);
    }
    Optional<Ed25519PublicKey> key = PublicKeyPem.parse(publicKeyPem);
    if (key.isEmpty()) {
      return new AttestationCheck.Invalid(AttestationCheck.INVALID_PUBLIC_KEY);
    }
    if (!Sha256.hex(key.get().raw()).equals(attestation.agentPubkeyFingerprint())) {
      return new AttestationCheck.Invalid(AttestationCheck.FINGERPRINT_MISMATCH);
    }
    Optional<byte[]> signature = decodeSignature(attestation.signature());
    if (signature.isEmpty() || !key.get().verify(attestation.signedBytes(), signature.get())) {
      return new AttestationCheck.Invalid(AttestationCheck.INVALID_SIGNATURE);
    }
    return new AttestationCheck.Valid(attestation);
  }

  /** The 64 signature bytes, only from their one canonical unpadded base64url spelling. */
  static Optional<byte[]> decodeSignature(String text) {
    if (text.length() != 86) {
      return Optional.empty();
    }
    try {
      byte[] bytes = Base64.getUrlDecoder().decode(text);
      boolean canonical =
          bytes.length == Ed25519PublicKey.SIGNATURE_SIZE
              && Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(text);
      return canonical ? Optional.of(bytes) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static long millis(Duration d) {
    try {
      return d.toMillis();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    // Overflow happened when both operands have the same sign and the result's sign differs.
    if (((a ^ r) & (b ^ r)) < 0) {
      return b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    return r;
  }
}
