package dev.handshake.audit.log;

import java.util.List;
import java.util.OptionalLong;

/** The outcome of checking a {@link SignedNote} against trusted keys (c2sp.org/signed-note). */
public sealed interface NoteVerification {

  /** At least one trusted key signed the text, and no trusted key's signature failed. */
  record Verified(String text, List<VerifiedSignature> signatures) implements NoteVerification {
    public Verified {
      signatures = List.copyOf(signatures);
    }

    /** Whether {@code key} is among the keys whose signatures verified. */
    public boolean signedBy(VerifierKey key) {
      return signatures.stream().anyMatch(s -> s.key().equals(key));
    }
  }

  /** The note must be ignored. */
  record Rejected(Reason reason, String detail) implements NoteVerification {}

  /** Why a note was rejected. */
  enum Reason {
    /** A signature line names a trusted key (name and key ID) but does not verify. */
    BAD_SIGNATURE,
    /** No signature line belongs to a trusted key. */
    NO_TRUSTED_SIGNATURE
  }

  /** A signature that verified; cosignatures carry their POSIX-seconds timestamp. */
  record VerifiedSignature(VerifierKey key, OptionalLong timestamp) {}
}
