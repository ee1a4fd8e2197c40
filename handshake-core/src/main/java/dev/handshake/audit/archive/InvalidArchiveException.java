package dev.handshake.audit.archive;

import dev.handshake.zip.ZipFormatException;

/**
 * A {@code .pqz} archive that cannot be read at all, and why; an archive that is read but fails its
 * checks is an {@link ArchiveReport} instead. The message is what a user reads.
 */
public final class InvalidArchiveException extends Exception {
  /** Why an archive was refused. */
  public enum Reason {
    /**
     * Not a ZIP, a damaged or unsupported ZIP (encryption, ZIP64, CRC), a required member missing,
     * a member that is not the JSON it must be.
     */
    MALFORMED,
    /**
     * Over a size or entry limit, a path-traversal or duplicate entry name, headers that disagree
     * with the central directory, overlapping entries or hidden bytes.
     */
    UNSAFE,
    /** The events are encrypted ({@code data.enc}) and no passphrase was given. */
    PASSPHRASE_REQUIRED,
    /** {@code data.enc} does not decrypt although it matches {@code archive_checksum}. */
    WRONG_PASSPHRASE,
    /** {@code data.enc} does not decrypt and does not match {@code archive_checksum}: altered. */
    ALTERED
  }

  private final Reason reason;

  InvalidArchiveException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /**
   * The bounded ZIP reader's refusal: {@link ZipFormatException.Kind#UNSAFE} is {@link
   * Reason#UNSAFE}, a malformed or unsupported ZIP is {@link Reason#MALFORMED}; same message.
   */
  InvalidArchiveException(ZipFormatException cause) {
    super(cause.getMessage(), cause);
    this.reason = cause.kind() == ZipFormatException.Kind.UNSAFE ? Reason.UNSAFE : Reason.MALFORMED;
  }

  public Reason reason() {
    return reason;
  }
}
