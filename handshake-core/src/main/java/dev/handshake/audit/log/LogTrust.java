package dev.handshake.audit.log;

import dev.handshake.audit.log.LogVerification.Failure;
import dev.handshake.audit.log.NoteVerification.VerifiedSignature;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a verifier trusts about one log: its origin, its checkpoint key, and optionally a set of
 * witnesses of which at least {@code witnessQuorum} must have cosigned a checkpoint before it is
 * believed (c2sp.org/tlog-cosignature: a quorum of independent witnesses makes a split view, one
 * log history for you and another for me, detectable).
 *
 * <pre>{@code
 * LogTrust trust = LogTrust.of(VerifierKey.parse("handshake.example/audit+1a2b3c4d+AQ..."))
 *     .withWitnesses(1, VerifierKey.parse("witness.example/w1+5e6f7a8b+BA..."));
 * }</pre>
 *
 * @param origin the checkpoint origin line the log uses
 * @param logKey the log's checkpoint signing key (type {@link VerifierKey.Type#ED25519})
 * @param witnesses witness keys whose cosignatures count
 * @param witnessQuorum how many distinct witnesses must cosign (0: none required)
 */
public record LogTrust(
    String origin, VerifierKey logKey, List<VerifierKey> witnesses, int witnessQuorum) {
  public LogTrust {
    witnesses = List.copyOf(witnesses);
    if (logKey.type() != VerifierKey.Type.ED25519) {
      throw new IllegalArgumentException("a log signs checkpoints with a plain Ed25519 note key");
    }
    if (witnessQuorum < 0 || witnessQuorum > witnesses.size()) {
      throw new IllegalArgumentException(
          "witness quorum " + witnessQuorum + " is outside 0.." + witnesses.size());
    }
    if (witnesses.contains(logKey)) {
      throw new IllegalArgumentException("the log cannot witness itself");
    }
  }

  /** Trusts the log whose origin is its key's name, with no witnesses required. */
  public static LogTrust of(VerifierKey logKey) {
    return new LogTrust(logKey.name(), logKey, List.of(), 0);
  }

  /** This policy, also requiring {@code quorum} of {@code keys} to cosign. */
  public LogTrust withWitnesses(int quorum, VerifierKey... keys) {
    return new LogTrust(origin, logKey, List.of(keys), quorum);
  }

  /**
   * Verifies a signed checkpoint: signatures first (the text means nothing before), then that it is
   * a checkpoint of this log, then the witness quorum.
   */
  public LogVerification verifyCheckpoint(SignedNote note) {
    List<VerifierKey> keys = new ArrayList<>(witnesses.size() + 1);
    keys.add(logKey);
    keys.addAll(witnesses);
    NoteVerification result = note.verify(keys);
    if (result instanceof NoteVerification.Rejected rejected) {
      return switch (rejected.reason()) {
        case BAD_SIGNATURE -> new LogVerification.Invalid(Failure.BAD_SIGNATURE, rejected.detail());
        case NO_TRUSTED_SIGNATURE ->
            new LogVerification.Invalid(Failure.NO_LOG_SIGNATURE, "not signed by " + logKey.text());
      };
    }
    NoteVerification.Verified verified = (NoteVerification.Verified) result;
    if (!verified.signedBy(logKey)) {
      return new LogVerification.Invalid(
          Failure.NO_LOG_SIGNATURE, "not signed by " + logKey.text());
    }
    Checkpoint checkpoint;
    try {
      checkpoint = Checkpoint.parse(note.text());
    } catch (LogFormatException e) {
      return new LogVerification.Invalid(Failure.MALFORMED, e.getMessage());
    }
    if (!checkpoint.origin().equals(origin)) {
      return new LogVerification.Invalid(
          Failure.WRONG_ORIGIN, "checkpoint of " + checkpoint.origin() + ", expected " + origin);
    }
    Set<String> cosigners = new HashSet<>();
    for (VerifiedSignature signature : verified.signatures()) {
      if (!signature.key().equals(logKey)) {
        cosigners.add(signature.key().name());
      }
    }
    if (cosigners.size() < witnessQuorum) {
      return new LogVerification.Invalid(
          Failure.TOO_FEW_COSIGNATURES,
          cosigners.size() + " trusted cosignatures, " + witnessQuorum + " required");
    }
    return new LogVerification.Valid(checkpoint, cosigners);
  }
}
