package dev.handshake.audit.log;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * An append-only Merkle log in the style of RFC 9162 (aiss.md §3 item 6b-c): entries go to a
 * durable {@link LogStore}; roots, inclusion proofs and consistency proofs for any earlier tree
 * size come from an in-memory index of complete subtrees, rebuilt from the stored leaf hashes when
 * the log is opened, so each proof is O(log n) at millions of leaves.
 *
 * <pre>{@code
 * try (TransparencyLog log = TransparencyLog.open(SqliteLogStore.open(dataDir))) {
 *   long index = log.append(chainHeadBytes);          // on disk when this returns
 *   TreeHead head = log.head();
 *   SignedNote checkpoint = signer.sign(head);        // CheckpointSigner
 *   ProofBundle bundle = ProofBundle.of(index, log.inclusionProof(index, head.size()), checkpoint);
 * }
 * }</pre>
 *
 * <p>Thread-safe: appends are serialised (their order is the index order, and the durable write
 * happens before the tree changes, so no proof ever covers an unacknowledged leaf); reads and
 * proofs run concurrently with each other and only wait for the few microseconds an append takes to
 * update the in-memory tree, not for its disk flush.
 */
public final class TransparencyLog implements AutoCloseable {
  private static final int REBUILD_BATCH = 1 << 16;

  private final LogStore store;
  private final long maxTreeSize;
  private final ReentrantLock appendLock = new ReentrantLock();
  private final ReadWriteLock treeLock = new ReentrantReadWriteLock();
  private final SubtreeIndex tree = new SubtreeIndex();

  private TransparencyLog(LogStore store, long maxTreeSize) {
    this.store = store;
    this.maxTreeSize = maxTreeSize;
  }

  /**
   * Opens the log over {@code store}, reading every stored leaf hash once to rebuild the tree
   * (about 0.5 s per million leaves from SQLite); the log owns the store from now on and closes it.
   * A store already holding more than {@code config.maxTreeSize()} leaves still opens, and refuses
   * further appends.
   */
  public static TransparencyLog open(LogStore store, LogConfig config) {
    TransparencyLog log = new TransparencyLog(store, config.maxTreeSize());
    long size = store.size();
    for (long start = 0; start < size; start += REBUILD_BATCH) {
      List<Sha256Hash> batch = store.leafHashes(start, REBUILD_BATCH);
      if (batch.isEmpty()) {
        throw new LogStoreException("store lost leaves while opening at index " + start);
      }
      for (Sha256Hash hash : batch) {
        log.tree.add(hash);
      }
    }
    if (log.tree.size() != size) {
      throw new LogStoreException("store has " + size + " leaves but returned " + log.tree.size());
    }
    return log;
  }

  /** Opens the log with {@link LogConfig#DEFAULTS}'s tree size limit. */
  public static TransparencyLog open(LogStore store) {
    return open(store, LogConfig.DEFAULTS);
  }

  /**
   * Appends {@code entry} and returns its index; the leaf is durable in the store before this
   * returns and before any root or proof includes it.
   *
   * @throws IllegalArgumentException if the entry is larger than the store's limit
   * @throws IllegalStateException if the log already holds its maximum tree size
   * @throws LogStoreException if the store failed; the leaf is then not part of the tree
   */
  public long append(byte[] entry) {
    return appendAll(List.of(entry));
  }

  /**
   * Appends {@code entries} in order, atomically and with one disk flush, and returns the index of
   * the first. The cheap way to log many entries at once.
   */
  public long appendAll(List<byte[]> entries) {
    int max = store.maxEntryBytes();
    List<Sha256Hash> hashes = new ArrayList<>(entries.size());
    for (byte[] entry : entries) {
      if (entry.length > max) {
        throw new IllegalArgumentException(
            "entry of " + entry.length + " bytes exceeds the limit of " + max);
      }
      hashes.add(MerkleHashes.leafHash(entry));
    }
    if (hashes.isEmpty()) {
      throw new IllegalArgumentException("nothing to append");
    }
    appendLock.lock();
    try {
      long expected = tree.size(); // only this thread changes the tree while appendLock is held
      if (expected + hashes.size() > maxTreeSize) {
        throw new IllegalStateException("the log is full at " + maxTreeSize + " leaves");
      }
      long index = store.appendAll(entries, hashes);
      if (index != expected) {
        throw new LogStoreException(
            "store appended at index " + index + " but the tree has " + expected + " leaves");
      }
      treeLock.writeLock().lock();
      try {
        for (Sha256Hash hash : hashes) {
          tree.add(hash);
        }
      } finally {
        treeLock.writeLock().unlock();
      }
      return index;
    } finally {
      appendLock.unlock();
    }
  }

  /** The number of leaves. */
  public long size() {
    return read(tree::size);
  }

  /** The current size and its root, consistent with each other. */
  public TreeHead head() {
    return read(() -> new TreeHead(tree.size(), tree.root(tree.size())));
  }

  /** The root of the tree over the first {@code treeSize} leaves ({@code 0..size()}). */
  public Sha256Hash root(long treeSize) {
    return read(() -> {
      checkSize("treeSize", treeSize);
      return tree.root(treeSize);
    });
  }

  /**
   * The audit path of leaf {@code index} in the tree of {@code treeSize} leaves (RFC 9162
   * §2.1.3.1), the leaf's sibling first; verify with {@link MerkleProofs#verifyInclusion}.
   */
  public List<Sha256Hash> inclusionProof(long index, long treeSize) {
    return read(() -> {
      checkSize("treeSize", treeSize);
      if (index < 0 || index >= treeSize) {
        throw new IndexOutOfBoundsException(
            "index " + index + " is outside a tree of " + treeSize + " leaves");
      }
      return tree.inclusionPath(index, treeSize);
    });
  }

  /**
   * The proof that the tree of {@code size1} leaves is a prefix of the tree of {@code size2} (RFC
   * 9162 §2.1.4.1); empty when {@code size1} is 0 or equals {@code size2}. Verify with {@link
   * MerkleProofs#verifyConsistency}.
   */
  public List<Sha256Hash> consistencyProof(long size1, long size2) {
    return read(() -> {
      checkSize("size2", size2);
      if (size1 < 0 || size1 > size2) {
        throw new IllegalArgumentException("need 0 <= size1 <= size2, got " + size1 + ", " + size2);
      }
      return tree.consistencyPath(size1, size2);
    });
  }

  /** A copy of the entry at {@code index}, read from the store. */
  public byte[] entry(long index) {
    return store.entry(index);
  }

  /** The leaf hash at {@code index}. */
  public Sha256Hash leafHash(long index) {
    return store.leafHash(index);
  }

  /** The largest entry {@link #append} accepts. */
  public int maxEntryBytes() {
    return store.maxEntryBytes();
  }

  /** Closes the store. */
  @Override
  public void close() {
    appendLock.lock();
    try {
      store.close();
    } finally {
      appendLock.unlock();
    }
  }

  private void checkSize(String name, long treeSize) {
    if (treeSize < 0 || treeSize > tree.size()) {
      throw new IllegalArgumentException(
          name + " " + treeSize + " is outside 0.." + tree.size() + " (the current size)");
    }
  }

  private <T> T read(Supplier<T> reader) {
    treeLock.readLock().lock();
    try {
      return reader.get();
    } finally {
      treeLock.readLock().unlock();
    }
  }
}
