package dev.handshake.audit.log;

import java.security.DigestException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Every complete, aligned subtree hash of the tree, by level: level 0 holds the leaf hashes, level
 * {@code l} the roots of the subtrees over leaves {@code [i·2^l, (i+1)·2^l)}. Any RFC 9162 root,
 * inclusion path or consistency path is a short list of these nodes plus at most one hash over the
 * tree's incomplete right edge, so proofs cost O(log n) lookups and hashes at any size. It costs
 * about 64 bytes of heap per leaf (32 for the leaf, 32 for all levels above).
 *
 * <p>Not thread-safe: {@link TransparencyLog} reads under a shared lock and appends under an
 * exclusive one. Hashes live in fixed-size chunks so that growing never copies the whole level.
 */
final class SubtreeIndex {
  static final long MAX_LEAVES = 1L << 40;
  private static final int HASH = Sha256Hash.SIZE;

  private final List<HashColumn> levels = new ArrayList<>();
  private long size;

  long size() {
    return size;
  }

  void add(Sha256Hash leafHash) {
    if (size == MAX_LEAVES) {
      throw new IllegalStateException("tree is full");
    }
    column(0).append(leafHash.raw(), 0);
    MessageDigest digest = MerkleHashes.newDigest();
    byte[] parent = new byte[HASH];
    long i = size;
    for (int level = 0; (i & 1) == 1; level++, i >>>= 1) {
      HashColumn column = levels.get(level);
      digest.update((byte) 0x01);
      column.feed(i - 1, digest);
      column.feed(i, digest);
      try {
        digest.digest(parent, 0, HASH);
      } catch (DigestException e) {
        throw new IllegalStateException(e);
      }
      column(level + 1).append(parent, 0);
    }
    size++;
  }

  /** MTH over the first {@code treeSize} leaves. */
  Sha256Hash root(long treeSize) {
    return treeSize == 0 ? MerkleHashes.emptyRoot() : Sha256Hash.wrap(rangeHash(0, treeSize));
  }

  /** RFC 9162 §2.1.3.1 PATH(index, D[0:treeSize]), leaf's sibling first. */
  List<Sha256Hash> inclusionPath(long index, long treeSize) {
    List<Sha256Hash> path = new ArrayList<>(64 - Long.numberOfLeadingZeros(treeSize));
    long start = 0;
    long count = treeSize;
    long m = index;
    while (count > 1) {
      long k = Long.highestOneBit(count - 1);
      if (m < k) {
        path.add(Sha256Hash.wrap(rangeHash(start + k, count - k)));
        count = k;
      } else {
        path.add(Sha256Hash.wrap(rangeHash(start, k)));
        start += k;
        m -= k;
        count -= k;
      }
    }
    Collections.reverse(path);
    return path;
  }

  /** RFC 9162 §2.1.4.1 PROOF(size1, D[0:size2]) = SUBPROOF(size1, D[0:size2], true). */
  List<Sha256Hash> consistencyPath(long size1, long size2) {
    List<Sha256Hash> path = new ArrayList<>();
    if (size1 == 0 || size1 == size2) {
      return path;
    }
    long start = 0;
    long count = size2;
    long m = size1;
    boolean completeSubtree = true; // SUBPROOF's b: D[start:start+m] is a node of the old tree
    while (m != count) {
      long k = Long.highestOneBit(count - 1);
      if (m <= k) {
        path.add(Sha256Hash.wrap(rangeHash(start + k, count - k)));
        count = k;
      } else {
        path.add(Sha256Hash.wrap(rangeHash(start, k)));
        start += k;
        m -= k;
        count -= k;
        completeSubtree = false;
      }
    }
    if (!completeSubtree) {
      path.add(Sha256Hash.wrap(rangeHash(start, count)));
    }
    Collections.reverse(path);
    return path;
  }

  /**
   * MTH(D[start:start+count]) for a range whose binary decomposition into complete subtrees is
   * aligned, which holds for every range the RFC recursion visits: the pieces are looked up and
   * folded right to left, because MTH splits off the largest power of two on the left first.
   */
  private byte[] rangeHash(long start, long count) {
    int pieces = Long.bitCount(count);
    long[] pieceStart = new long[pieces];
    int[] pieceLevel = new int[pieces];
    long at = start;
    long rest = count;
    for (int i = 0; i < pieces; i++) {
      int level = 63 - Long.numberOfLeadingZeros(rest);
      pieceStart[i] = at;
      pieceLevel[i] = level;
      at += 1L << level;
      rest -= 1L << level;
    }
    byte[] hash = lookup(pieceLevel[pieces - 1], pieceStart[pieces - 1]);
    MessageDigest digest = MerkleHashes.newDigest();
    for (int i = pieces - 2; i >= 0; i--) {
      hash = MerkleHashes.node(digest, lookup(pieceLevel[i], pieceStart[i]), hash);
    }
    return hash;
  }

  private byte[] lookup(int level, long leafStart) {
    assert (leafStart & ((1L << level) - 1)) == 0 : "unaligned subtree";
    return levels.get(level).get(leafStart >>> level);
  }

  private HashColumn column(int level) {
    if (level == levels.size()) {
      levels.add(new HashColumn());
    }
    return levels.get(level);
  }

  /** An append-only array of 32-byte hashes in chunks of up to 512 KiB. */
  private static final class HashColumn {
    private static final int CHUNK_BITS = 14;
    private static final int CHUNK_HASHES = 1 << CHUNK_BITS;
    private static final int MASK = CHUNK_HASHES - 1;

    private byte[][] chunks = new byte[1][];
    private long count;

    void append(byte[] hash, int offset) {
      int chunk = (int) (count >>> CHUNK_BITS);
      if (chunk == chunks.length) {
        chunks = Arrays.copyOf(chunks, chunks.length * 2);
      }
      int at = (int) (count & MASK) * HASH;
      byte[] current = chunks[chunk];
      if (current == null) {
        current = chunks[chunk] = new byte[16 * HASH]; // small logs stay small
      } else if (at == current.length) {
        current = chunks[chunk] = Arrays.copyOf(current, current.length * 2);
      }
      System.arraycopy(hash, offset, current, at, HASH);
      count++;
    }

    byte[] get(long index) {
      byte[] out = new byte[HASH];
      System.arraycopy(
          chunks[(int) (index >>> CHUNK_BITS)], (int) (index & MASK) * HASH, out, 0, HASH);
      return out;
    }

    void feed(long index, MessageDigest digest) {
      digest.update(chunks[(int) (index >>> CHUNK_BITS)], (int) (index & MASK) * HASH, HASH);
    }
  }
}
