package dev.handshake.audit.log;

import dev.handshake.audit.log.LogVerification.Failure;
import dev.handshake.crypto.Base64Text;
import java.util.List;
import java.util.Optional;

/**
 * An offline-verifiable proof that an entry is in a log (c2sp.org/tlog-proof, {@code .tlog-proof}
 * files): the entry's index, its inclusion proof, and the signed, possibly cosigned, checkpoint the
 * proof leads to. Whoever holds the entry, the bundle and a {@link LogTrust} can check it without
 * contacting the log.
 *
 * <pre>
 * c2sp.org/tlog-proof@v1
 * [extra &lt;base64 opaque data&gt;]
 * index 3
 * &lt;base64 proof hash, leaf's sibling first&gt;
 * ...
 *
 * &lt;signed checkpoint, verbatim&gt;
 * </pre>
 */
public final class ProofBundle {
  public static final String HEADER = "c2sp.org/tlog-proof@v1";

  private final long index;
  private final List<Sha256Hash> proof;
  private final SignedNote checkpoint;
  private final byte[] extra; // empty when absent

  private ProofBundle(long index, List<Sha256Hash> proof, SignedNote checkpoint, byte[] extra) {
    if (index < 0) {
      throw new IllegalArgumentException("negative index " + index);
    }
    if (proof.size() > MerkleProofs.MAX_PROOF_HASHES) {
      throw new IllegalArgumentException("proof has more than 63 hashes");
    }
    this.index = index;
    this.proof = List.copyOf(proof);
    this.checkpoint = checkpoint;
    this.extra = extra;
  }

  /** A bundle from its parts; the proof must be relative to the checkpoint's tree size. */
  public static ProofBundle of(long index, List<Sha256Hash> proof, SignedNote checkpoint) {
    return new ProofBundle(index, proof, checkpoint, new byte[0]);
  }

  /**
   * The bundle for entry {@code index} of {@code log} against {@code checkpoint}, a checkpoint this
   * log signed (its tree size decides the proof).
   *
   * @throws IllegalArgumentException if the checkpoint text is not a checkpoint or is larger than
   *     the log
   */
  public static ProofBundle create(TransparencyLog log, long index, SignedNote checkpoint) {
    Checkpoint head = Checkpoint.parseOrThrow(checkpoint);
    return of(index, log.inclusionProof(index, head.size()), checkpoint);
  }

  /**
   * This bundle carrying unauthenticated {@code extra} data (context an application needs to
   * rebuild the entry). Verifiers must not trust it.
   */
  public ProofBundle withExtra(byte[] extra) {
    return new ProofBundle(index, proof, checkpoint, extra.clone());
  }

  public long index() {
    return index;
  }

  public List<Sha256Hash> proof() {
    return proof;
  }

  public SignedNote checkpoint() {
    return checkpoint;
  }

  /** The opaque extra data, if any; not covered by any signature. */
  public Optional<byte[]> extra() {
    return extra.length == 0 ? Optional.empty() : Optional.of(extra.clone());
  }

  /** The bundle text. */
  public String format() {
    StringBuilder out = new StringBuilder(HEADER).append('\n');
    if (extra.length > 0) {
      out.append("extra ").append(Base64Text.encode(extra)).append('\n');
    }
    out.append("index ").append(index).append('\n');
    ProofLines.appendHashes(out, proof);
    return out.append('\n').append(checkpoint.format()).toString();
  }

  /** Parses bundle text. */
  public static ProofBundle parse(String text) throws LogFormatException {
    if (text.length() > SignedNote.MAX_CHARS) {
      throw new LogFormatException("proof is too large");
    }
    ProofLines lines = new ProofLines(text);
    if (!lines.next().equals(HEADER)) {
      throw new LogFormatException("proof does not start with " + HEADER);
    }
    byte[] extra = new byte[0];
    if (lines.peek().startsWith("extra ")) {
      extra =
          Base64Text.decodeStrict(lines.next().substring("extra ".length()))
              .filter(b -> b.length > 0)
              .orElseThrow(() -> new LogFormatException("extra data is not non-empty Base64"));
    }
    String indexLine = lines.next();
    long index =
        indexLine.startsWith("index ")
            ? Checkpoint.parseDecimal(indexLine.substring("index ".length()))
            : -1;
    if (index < 0) {
      throw new LogFormatException("expected 'index <decimal>'");
    }
    List<Sha256Hash> proof = lines.hashesUntilBlank();
    return new ProofBundle(index, proof, SignedNote.parse(lines.rest()), extra);
  }

  /** {@link #verify(Sha256Hash, LogTrust)} with the leaf hash of {@code entry}. */
  public LogVerification verify(byte[] entry, LogTrust trust) {
    return verify(MerkleHashes.leafHash(entry), trust);
  }

  /**
   * Checks, in order: the checkpoint is signed by the log (and cosigned by the required witnesses)
   * and names the trusted origin; the index is inside its tree; the proof leads from {@code
   * leafHash} at that index to its root.
   */
  public LogVerification verify(Sha256Hash leafHash, LogTrust trust) {
    LogVerification head = trust.verifyCheckpoint(checkpoint);
    if (!(head instanceof LogVerification.Valid valid)) {
      return head;
    }
    long size = valid.checkpoint().size();
    if (index >= size) {
      return new LogVerification.Invalid(
          Failure.INDEX_OUT_OF_RANGE, "index " + index + " in a tree of " + size + " leaves");
    }
    if (!MerkleProofs.verifyInclusion(
        leafHash, index, size, proof, valid.checkpoint().rootHash())) {
      return new LogVerification.Invalid(
          Failure.INCLUSION_PROOF_INVALID,
          "entry " + index + " is not in the tree of " + size + " leaves with this root");
    }
    return valid;
  }

  /**
   * Parses {@code text} and verifies it for {@code entry}; unparseable text is {@code MALFORMED}.
   */
  public static LogVerification verify(String text, byte[] entry, LogTrust trust) {
    try {
      return parse(text).verify(entry, trust);
    } catch (LogFormatException e) {
      return new LogVerification.Invalid(Failure.MALFORMED, e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "ProofBundle[index=" + index + ", " + proof.size() + " hashes]";
  }
}
