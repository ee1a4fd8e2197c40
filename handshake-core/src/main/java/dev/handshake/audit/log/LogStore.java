package dev.handshake.audit.log;

import java.util.List;

/**
 * Durable storage of a transparency log's leaves, in append order: each leaf is the entry bytes and
 * its RFC 9162 leaf hash, at index 0, 1, 2, ... with no gaps. The store never changes or removes a
 * leaf once appended; the Merkle tree over it lives in {@link TransparencyLog}.
 *
 * <p>Implementations: {@link InMemoryLogStore} (tests, ephemeral logs) and {@code SqliteLogStore}
 * (the durable default). Every implementation passes {@code LogStoreContract}. They are
 * thread-safe; {@link TransparencyLog} still serialises appends itself so that index order and tree
 * order agree.
 */
public interface LogStore extends AutoCloseable {

  /**
   * Appends one leaf and returns its index (the size before the append). When this returns, the
   * leaf survives a crash of the process and, for a durable store, of the machine.
   *
   * @throws IllegalArgumentException if the entry exceeds {@link #maxEntryBytes()}
   * @throws LogStoreException if the leaf could not be stored
   */
  default long append(byte[] entry, Sha256Hash leafHash) {
    return appendAll(List.of(entry), List.of(leafHash));
  }

  /**
   * Appends several leaves atomically (all or none, one disk flush) and returns the index of the
   * first. {@code entries} and {@code leafHashes} are parallel lists of the same, non-zero size.
   */
  long appendAll(List<byte[]> entries, List<Sha256Hash> leafHashes);

  /** The number of leaves stored. */
  long size();

  /**
   * The leaf hash at {@code index}; {@link IndexOutOfBoundsException} outside {@code 0..size-1}.
   */
  Sha256Hash leafHash(long index);

  /**
   * Up to {@code count} leaf hashes from {@code start} (fewer at the end of the log), in order.
   * Used to rebuild the in-memory tree when a log is opened.
   */
  List<Sha256Hash> leafHashes(long start, int count);

  /** A copy of the entry at {@code index}; {@link IndexOutOfBoundsException} outside the log. */
  byte[] entry(long index);

  /** The largest entry {@link #append} accepts, in bytes. */
  int maxEntryBytes();

  /** Releases the storage; further calls fail. */
  @Override
  void close();
}
