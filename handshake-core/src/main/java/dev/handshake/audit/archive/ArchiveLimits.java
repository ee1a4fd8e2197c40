package dev.handshake.audit.archive;

/**
 * Upper bounds for reading a {@code .pqz} archive, so that a hostile file (a ZIP bomb, a central
 * directory with millions of entries) costs bounded memory and time. Sizes are counted while
 * inflating, not taken from the headers, which a crafted file can fake.
 *
 * @param maxArchiveBytes the largest archive file read at all
 * @param maxEntries the most entries the archive may list
 * @param maxEntryBytes the most uncompressed bytes of any one member read
 * @param maxTotalBytes the most uncompressed bytes read from all members together
 */
public record ArchiveLimits(
    long maxArchiveBytes, int maxEntries, int maxEntryBytes, long maxTotalBytes) {
  /** 256 MiB archive, 64 entries, 128 MiB per member, 256 MiB in all. */
  public static final ArchiveLimits DEFAULTS =
      new ArchiveLimits(256L << 20, 64, 128 << 20, 256L << 20);

  public ArchiveLimits {
    if (maxArchiveBytes <= 0 || maxEntries <= 0 || maxEntryBytes <= 0 || maxTotalBytes <= 0) {
      throw new IllegalArgumentException("archive limits must be positive");
    }
    if (maxEntryBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("maxEntryBytes must fit in an array");
    }
  }

  /** The defaults: see {@link #DEFAULTS}. */
  public static ArchiveLimits defaults() {
    return DEFAULTS;
  }
}
