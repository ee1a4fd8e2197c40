package dev.handshake.audit.log;

import dev.handshake.crypto.Ed25519PrivateKey;

/**
 * Signs a log's checkpoints with its Ed25519 key, under a key name equal to the log's origin (as
 * c2sp.org/tlog-checkpoint recommends). Publish {@link #verifierKey()} so that verifiers can build
 * a {@link LogTrust}.
 *
 * <p>A log must never sign two checkpoints that are not consistent with each other; signing only
 * heads read from one append-only {@link TransparencyLog} guarantees that.
 */
public final class CheckpointSigner {
  private final NoteSigner signer;

  private CheckpointSigner(NoteSigner signer) {
    this.signer = signer;
  }

  /**
   * A signer for the log called {@code origin} (a schema-less URL such as {@code example.com/log}).
   */
  public static CheckpointSigner create(String origin, Ed25519PrivateKey key) {
    return new CheckpointSigner(NoteSigner.ed25519(origin, key));
  }

  public String origin() {
    return signer.name();
  }

  public VerifierKey verifierKey() {
    return signer.verifierKey();
  }

  /** The signed checkpoint of {@code head}. */
  public SignedNote sign(TreeHead head) {
    return sign(Checkpoint.of(origin(), head));
  }

  /** The signed checkpoint; its origin must be this signer's. */
  public SignedNote sign(Checkpoint checkpoint) {
    if (!checkpoint.origin().equals(origin())) {
      throw new IllegalArgumentException(
          "checkpoint origin " + checkpoint.origin() + " is not this log's " + origin());
    }
    return SignedNote.sign(checkpoint.text(), signer);
  }

  @Override
  public String toString() {
    return "CheckpointSigner[" + signer.verifierKey().text() + "]";
  }
}
