package dev.handshake.audit.archive;

import dev.handshake.zip.ZipLimits;

/**
 * Upper bounds for reading a {@code .pqz} archive, so that a hostile file (a ZIP bomb, a central
 * directory with millions of entries) costs bounded memory and time: the archive's defaults for the
 * {@link ZipLimits} that {@link dev.handshake.zip.BoundedZip} reads it with. Declared sizes are
 * checked before anything is inflated, and enforced while inflating, so headers that lie do not
 * help.
 *
 * @param maxArchiveBytes the largest archive file read at all
 * @param maxEntries the most entries the archive may list
 * @param maxEntryBytes the most uncompressed bytes of any one member
 * @param maxTotalBytes the most uncompressed bytes of all members together
 */
public record ArchiveLimits(
    long maxArchiveBytes, int maxEntries, int maxEntryBytes, long maxTotalBytes) {
  /** 256 MiB archive, 64 entries, 128 MiB per member, 256 MiB in all. */
  public static final ArchiveLimits DEFAULTS =
      new ArchiveLimits(256L << 20, 64, 128 << 20, 256L << 20);

  /**
   * @throws IllegalArgumentException for a limit that is not positive or beyond what {@link
   *     ZipLimits} allows (an in-memory archive without ZIP64)
   */
  public ArchiveLimits {
    if (maxArchiveBytes <= 0 || maxEntries <= 0 || maxEntryBytes <= 0 || maxTotalBytes <= 0) {
      throw new IllegalArgumentException("archive limits must be positive");
    }
    if (maxEntryBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("maxEntryBytes must fit in an array");
    }
    // Fails here, not at the first read, for limits the ZIP reader cannot honour.
    new ZipLimits(maxArchiveBytes, maxEntries, maxEntryBytes, maxTotalBytes);
  }

  /** The defaults: see {@link #DEFAULTS}. */
  public static ArchiveLimits defaults() {
    return DEFAULTS;
  }

  /** These limits as the bounded ZIP reader takes them. */
  public ZipLimits zipLimits() {
    return new ZipLimits(maxArchiveBytes, maxEntries, maxEntryBytes, maxTotalBytes);
  }
}
