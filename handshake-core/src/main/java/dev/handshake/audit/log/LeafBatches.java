package dev.handshake.audit.log;

import java.util.List;

/**
 * Argument checks shared by the {@link LogStore} implementations, here and in the store modules.
 */
public final class LeafBatches {
  private LeafBatches() {}

  /**
   * Refuses an empty batch, a batch whose entries and leaf hashes differ in number, and an entry
   * longer than {@code maxEntryBytes}.
   *
   * @throws IllegalArgumentException naming the first problem
   */
  public static void check(List<byte[]> entries, List<Sha256Hash> leafHashes, int maxEntryBytes) {
    if (entries.isEmpty() || entries.size() != leafHashes.size()) {
      throw new IllegalArgumentException(
          "need the same non-zero number of entries and leaf hashes, got "
              + entries.size()
              + " and "
              + leafHashes.size());
    }
    for (byte[] entry : entries) {
      if (entry.length > maxEntryBytes) {
        throw new IllegalArgumentException(
            "entry of " + entry.length + " bytes exceeds the limit of " + maxEntryBytes);
      }
    }
  }
}
