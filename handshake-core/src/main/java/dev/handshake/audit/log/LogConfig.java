package dev.handshake.audit.log;

/**
 * Limits of one transparency log.
 *
 * @param maxEntryBytes the largest entry accepted (default 64 KiB). Entries are chain heads and
 *     checkpoints, a few hundred bytes; the bound keeps one caller from filling the disk or the
 *     proof server's memory with a single append.
 * @param maxTreeSize the most leaves the log accepts (default 2^24 = 16,777,216). The in-memory
 *     subtree index costs about 64 bytes per leaf, so the default caps it near 1 GiB of heap.
 */
public record LogConfig(int maxEntryBytes, long maxTreeSize) {
  public static final LogConfig DEFAULTS = new LogConfig(64 * 1024, 1L << 24);

  public LogConfig {
    if (maxEntryBytes < 1) {
      throw new IllegalArgumentException("maxEntryBytes must be positive: " + maxEntryBytes);
    }
    if (maxTreeSize < 1 || maxTreeSize > SubtreeIndex.MAX_LEAVES) {
      throw new IllegalArgumentException(
          "maxTreeSize must be in 1.." + SubtreeIndex.MAX_LEAVES + ": " + maxTreeSize);
    }
  }
}
