package dev.handshake.zip;

/**
 * How much an untrusted archive may make {@link BoundedZip} hold in memory. Every limit is checked
 * before the bytes are produced (declared sizes first, then while inflating), so a small archive
 * that inflates to gigabytes is refused after at most one limit's worth of output.
 *
 * @param maxArchiveBytes size of the archive file itself
 * @param maxEntries number of members
 * @param maxEntryBytes uncompressed size of one member
 * @param maxTotalBytes uncompressed size of all members together
 */
public record ZipLimits(
    long maxArchiveBytes, int maxEntries, long maxEntryBytes, long maxTotalBytes) {
  /** The format cannot describe more without ZIP64, which {@link BoundedZip} does not read. */
  static final long FORMAT_MAX = 0xFFFF_FFFEL;

  public ZipLimits {
    if (maxArchiveBytes <= 0 || maxEntries <= 0 || maxEntryBytes <= 0 || maxTotalBytes <= 0) {
      throw new IllegalArgumentException("ZIP limits must be positive");
    }
    if (maxEntries >= 0xFFFF || maxArchiveBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("ZIP limits beyond what an in-memory archive can hold");
    }
    if (maxEntryBytes > Integer.MAX_VALUE - 8 || maxTotalBytes > FORMAT_MAX) {
      throw new IllegalArgumentException("ZIP member limits beyond what a byte array can hold");
    }
  }
}
