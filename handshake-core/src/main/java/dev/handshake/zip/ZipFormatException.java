package dev.handshake.zip;

/**
 * An archive {@link BoundedZip} will not read, with a message saying why and a {@link Kind} saying
 * what sort of refusal it is, so callers can map it onto their own errors.
 */
public final class ZipFormatException extends Exception {
  /** What sort of refusal. */
  public enum Kind {
    /**
     * Not a ZIP, truncated, a damaged directory or header, corrupt deflate data, a CRC mismatch.
     */
    MALFORMED,
    /** A valid ZIP using what is not read: ZIP64, encryption, multi-disk, other compression. */
    UNSUPPORTED,
    /**
     * Hostile or ambiguous: over a {@link ZipLimits} limit (declared, or found while inflating), a
     * refused or repeated member name, headers that disagree with the central directory,
     * overlapping entries or bytes no entry accounts for.
     */
    UNSAFE
  }

  private final Kind kind;

  public ZipFormatException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
