package dev.handshake.zip;

/**
 * An archive {@link BoundedZip} will not read: not a ZIP, a feature it refuses (encryption, ZIP64,
 * folders, unknown compression), an inconsistency between the central directory and the entries, or
 * a {@link ZipLimits} limit exceeded. The message says which.
 */
public final class ZipFormatException extends Exception {
  public ZipFormatException(String message) {
    super(message);
  }
}
