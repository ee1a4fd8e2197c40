package dev.handshake.audit.log;

import java.util.Set;

/**
 * The outcome of verifying a signed checkpoint, a {@link ProofBundle} or a {@link
 * ConsistencyBundle} against a {@link LogTrust}: valid, or the first check that failed.
 */
public sealed interface LogVerification {

  /** Whether every check passed. */
  default boolean isValid() {
    return this instanceof Valid;
  }

  /**
   * Every check passed.
   *
   * @param checkpoint the verified checkpoint (for a consistency bundle, the newer one)
   * @param cosigners names of the trusted witnesses whose cosignatures verified on it
   */
  record Valid(Checkpoint checkpoint, Set<String> cosigners) implements LogVerification {
    public Valid {
      cosigners = Set.copyOf(cosigners);
    }
  }

  /** A check failed; {@code detail} is for logs and operators. */
  record Invalid(Failure failure, String detail) implements LogVerification {}

  /** The checks, in the order they run. */
  enum Failure {
    /** The bundle or checkpoint text does not parse. */
    MALFORMED,
    /** No signature line from the log's key (a note signed only by others proves nothing). */
    NO_LOG_SIGNATURE,
    /** A line from a trusted key (log or witness) does not verify: the note was altered. */
    BAD_SIGNATURE,
    /** The checkpoint names another log. */
    WRONG_ORIGIN,
    /** Fewer trusted witnesses cosigned than the policy requires. */
    TOO_FEW_COSIGNATURES,
    /** The entry's index is not below the checkpoint's tree size. */
    INDEX_OUT_OF_RANGE,
    /** The inclusion proof does not lead from the entry to the checkpoint's root. */
    INCLUSION_PROOF_INVALID,
    /** The older checkpoint of a consistency bundle is larger than the newer one. */
    CHECKPOINTS_OUT_OF_ORDER,
    /** The consistency proof does not connect the two roots: the log was rewritten or forked. */
    CONSISTENCY_PROOF_INVALID
  }
}
