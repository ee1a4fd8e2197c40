package dev.handshake.delegation;

/**
 * The outcome of checking an execution attestation (trusthandoff.md §2.12): {@link Valid} with the
 * attestation that verified, or {@link Invalid} with one of the reason codes below. Verification
 * never throws for bad input; the reference answers {@code False} (or raises) where we give a
 * reason.
 */
public sealed interface AttestationCheck {
  /** The result (or expected outcome hash) does not match {@code outcome_hash}. */
  String OUTCOME_MISMATCH = "outcome_mismatch";

  /** The expected reason and {@code reason_hash} differ (including one present, one absent). */
  String REASON_MISMATCH = "reason_mismatch";

  /** {@code timestamp_ms} is more than 30 s after the verifier's clock. */
  String TIMESTAMP_IN_FUTURE = "timestamp_in_future";

  /** {@code timestamp_ms} is older than the maximum age. */
  String STALE = "stale";

  /** The verification key is not an Ed25519 public key PEM. */
  String INVALID_PUBLIC_KEY = "invalid_public_key";

  /** {@code agent_pubkey_fingerprint} is not the SHA-256 of the verification key. */
  String FINGERPRINT_MISMATCH = "fingerprint_mismatch";

  /** The signature is not canonical unpadded base64url of 64 bytes, or does not verify. */
  String INVALID_SIGNATURE = "invalid_signature";

  /** The result or reason to compare is not an attestable payload (a float, reserved key, …). */
  String INVALID_RESULT = "invalid_result";

  /** A node output is not an object with a non-null {@code result}. */
  String MALFORMED_OUTPUT = "malformed_output";

  /** A node output carries no attestation (null or absent). */
  String MISSING_ATTESTATION = "missing_attestation";

  /** A node output's attestation does not have the model's shape (unknown field, bad pattern). */
  String MALFORMED_ATTESTATION = "malformed_attestation";

  /** The {@code (fingerprint, nonce)} pair was already accepted: a replay. */
  String REPLAY_DETECTED = "replay_detected";

  /** The seen-nonce store is at its bound of unexpired pairs; nothing was recorded. */
  String REPLAY_STORE_FULL = "replay_store_full";

  /** Whether the attestation verified. */
  default boolean valid() {
    return this instanceof Valid;
  }

  /** The attestation verified: signature, key fingerprint, hashes and freshness. */
  record Valid(ExecutionAttestation attestation) implements AttestationCheck {}

  /**
   * The attestation did not verify.
   *
   * @param reason one of the codes of {@link AttestationCheck}
   */
  record Invalid(String reason) implements AttestationCheck {}
}
