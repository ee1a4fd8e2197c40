package dev.handshake.audit.log;

import dev.handshake.audit.log.LogVerification.Failure;
import java.util.List;

/**
 * An offline-verifiable proof that a log only grew between two of its signed checkpoints: nothing
 * in the older tree was rewritten, removed or reordered (RFC 9162 §2.1.4). A verifier that kept the
 * last checkpoint it saw checks a newer one this way; two checkpoints of the same size with
 * different roots, or a failing bundle, is proof of a fork. C2SP has no text format for this, so it
 * is ours, built like c2sp.org/tlog-proof:
 *
 * <pre>
 * handshake-tlog-consistency/1
 * &lt;base64 consistency proof hash&gt;
 * ...
 *
 * &lt;older signed checkpoint&gt;
 *
 * &lt;newer signed checkpoint&gt;
 * </pre>
 *
 * <p>The proof lines end at the first empty line. Checkpoint text never contains an empty line, so
 * the older checkpoint ends at the empty line after its signature lines.
 */
public final class ConsistencyBundle {
  public static final String HEADER = "handshake-tlog-consistency/1";

  private final SignedNote older;
  private final SignedNote newer;
  private final List<Sha256Hash> proof;

  private ConsistencyBundle(SignedNote older, SignedNote newer, List<Sha256Hash> proof) {
    if (proof.size() > MerkleProofs.MAX_PROOF_HASHES) {
      throw new IllegalArgumentException("proof has more than 63 hashes");
    }
    this.older = older;
    this.newer = newer;
    this.proof = List.copyOf(proof);
  }

  public static ConsistencyBundle of(SignedNote older, SignedNote newer, List<Sha256Hash> proof) {
    return new ConsistencyBundle(older, newer, proof);
  }

  /** The bundle between two checkpoints that {@code log} signed. */
  public static ConsistencyBundle create(TransparencyLog log, SignedNote older, SignedNote newer) {
    long size1 = Checkpoint.parseOrThrow(older).size();
    long size2 = Checkpoint.parseOrThrow(newer).size();
    return of(older, newer, log.consistencyProof(size1, size2));
  }

  public SignedNote older() {
    return older;
  }

  public SignedNote newer() {
    return newer;
  }

  public List<Sha256Hash> proof() {
    return proof;
  }

  public String format() {
    StringBuilder out = new StringBuilder(HEADER).append('\n');
    ProofLines.appendHashes(out, proof);
    return out.append('\n').append(older.format()).append('\n').append(newer.format()).toString();
  }

  public static ConsistencyBundle parse(String text) throws LogFormatException {
    if (text.length() > 2 * SignedNote.MAX_CHARS) {
      throw new LogFormatException("proof is too large");
    }
    ProofLines lines = new ProofLines(text);
    if (!lines.next().equals(HEADER)) {
      throw new LogFormatException("proof does not start with " + HEADER);
    }
    List<Sha256Hash> proof = lines.hashesUntilBlank();
    String notes = lines.rest();
    int textEnd = notes.indexOf("\n\n");
    int noteEnd = textEnd < 0 ? -1 : notes.indexOf("\n\n", textEnd + 2);
    if (noteEnd < 0) {
      throw new LogFormatException("expected two signed checkpoints separated by an empty line");
    }
    SignedNote older = SignedNote.parse(notes.substring(0, noteEnd + 1));
    SignedNote newer = SignedNote.parse(notes.substring(noteEnd + 2));
    return new ConsistencyBundle(older, newer, proof);
  }

  /**
   * Checks both checkpoints against {@code trust} (the newer must meet the witness quorum; the
   * older only needs the log's signature, since it is what the verifier saw before), that the older
   * is not larger, and the consistency proof between their roots.
   */
  public LogVerification verify(LogTrust trust) {
    LogVerification first =
        new LogTrust(trust.origin(), trust.logKey(), trust.witnesses(), 0).verifyCheckpoint(older);
    if (!(first instanceof LogVerification.Valid oldHead)) {
      return first;
    }
    LogVerification second = trust.verifyCheckpoint(newer);
    if (!(second instanceof LogVerification.Valid newHead)) {
      return second;
    }
    Checkpoint a = oldHead.checkpoint();
    Checkpoint b = newHead.checkpoint();
    if (a.size() > b.size()) {
      return new LogVerification.Invalid(
          Failure.CHECKPOINTS_OUT_OF_ORDER, "older size " + a.size() + " > newer " + b.size());
    }
    if (!MerkleProofs.verifyConsistency(a.size(), b.size(), a.rootHash(), b.rootHash(), proof)) {
      return new LogVerification.Invalid(
          Failure.CONSISTENCY_PROOF_INVALID,
          "tree of " + a.size() + " is not a prefix of the tree of " + b.size());
    }
    return newHead;
  }

  /** Parses and verifies; unparseable text is {@code MALFORMED}. */
  public static LogVerification verify(String text, LogTrust trust) {
    try {
      return parse(text).verify(trust);
    } catch (LogFormatException e) {
      return new LogVerification.Invalid(Failure.MALFORMED, e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "ConsistencyBundle[" + proof.size() + " hashes]";
  }
}
