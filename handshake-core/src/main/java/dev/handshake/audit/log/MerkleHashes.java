package dev.handshake.audit.log;

import dev.handshake.crypto.Sha256;
import java.security.MessageDigest;
import java.util.List;

/**
 * The Merkle tree hash of RFC 9162 §2.1.1: a leaf is {@code SHA-256(0x00 || entry)}, an inner node
 * {@code SHA-256(0x01 || left || right)}, and the tree over {@code n > 1} leaves splits at the
 * largest power of two smaller than {@code n}. The prefixes keep a leaf from ever hashing like a
 * node (second-preimage resistance), which is why entries are never hashed bare.
 */
public final class MerkleHashes {
  private static final byte LEAF_PREFIX = 0x00;
  private static final byte NODE_PREFIX = 0x01;
  private static final Sha256Hash EMPTY_ROOT = Sha256Hash.wrap(Sha256.digest(new byte[0]));

  /**
   * Never updated, only cloned: a clone skips the provider lookup of {@code getInstance}, which
   * costs about as much as hashing one 65-byte node.
   */
  private static final MessageDigest PROTOTYPE = Sha256.newDigest();

  private MerkleHashes() {}

  /** {@code SHA-256(0x00 || entry)}. */
  public static Sha256Hash leafHash(byte[] entry) {
    MessageDigest digest = newDigest();
    digest.update(LEAF_PREFIX);
    digest.update(entry);
    return Sha256Hash.wrap(digest.digest());
  }

  /** {@code SHA-256(0x01 || left || right)}. */
  public static Sha256Hash nodeHash(Sha256Hash left, Sha256Hash right) {
    return Sha256Hash.wrap(node(left.raw(), right.raw()));
  }

  /** The root of the empty tree: SHA-256 of the empty string. */
  public static Sha256Hash emptyRoot() {
    return EMPTY_ROOT;
  }

  /**
   * The root over {@code leafHashes} in order (RFC 9162 MTH), computed bottom-up in O(n) hashes
   * without recursion: pairing neighbours level by level and carrying an odd last node upwards
   * gives the same tree as splitting at the largest power of two.
   */
  public static Sha256Hash root(List<Sha256Hash> leafHashes) {
    int n = leafHashes.size();
    if (n == 0) {
      return EMPTY_ROOT;
    }
    byte[][] level = new byte[n][];
    for (int i = 0; i < n; i++) {
      level[i] = leafHashes.get(i).raw();
    }
    while (n > 1) {
      int parents = 0;
      for (int i = 0; i + 1 < n; i += 2) {
        level[parents++] = node(level[i], level[i + 1]);
      }
      if ((n & 1) == 1) {
        level[parents++] = level[n - 1];
      }
      n = parents;
    }
    return Sha256Hash.wrap(level[0]);
  }

  static byte[] node(byte[] left, byte[] right) {
    return node(newDigest(), left, right);
  }

  /** The node hash with {@code digest}, which {@code digest()} leaves reset for the next one. */
  static byte[] node(MessageDigest digest, byte[] left, byte[] right) {
    digest.update(NODE_PREFIX);
    digest.update(left);
    digest.update(right);
    return digest.digest();
  }

  static MessageDigest newDigest() {
    try {
      return (MessageDigest) PROTOTYPE.clone();
    } catch (CloneNotSupportedException e) {
      return Sha256.newDigest(); // a provider without clone support: correct, just slower
    }
  }
}
