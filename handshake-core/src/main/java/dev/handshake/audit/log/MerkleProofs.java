package dev.handshake.audit.log;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

/**
 * Verifies Merkle inclusion and consistency proofs without the log (RFC 9162 §2.1.3.2 and
 * §2.1.4.2). Every method is total: a proof of the wrong length, a hash that is not the expected
 * root, an index outside the tree or sizes in the wrong order all give {@code false}, never an
 * exception, because proofs arrive from untrusted peers.
 */
public final class MerkleProofs {
  /** A tree of 2^63 - 1 leaves needs at most 63 proof hashes; anything longer is refused unread. */
  static final int MAX_PROOF_HASHES = 63;

  private MerkleProofs() {}

  /**
   * Whether {@code proof} shows that the leaf with hash {@code leafHash} sits at {@code index} in
   * the tree of {@code treeSize} leaves whose root is {@code root}.
   */
  public static boolean verifyInclusion(
      Sha256Hash leafHash, long index, long treeSize, List<Sha256Hash> proof, Sha256Hash root) {
    byte[] computed = rootFromInclusionProof(leafHash, index, treeSize, proof);
    return computed != null && Arrays.equals(computed, root.raw());
  }

  /** RFC 9162 §2.1.3.2 steps 1-5; null when the proof cannot be walked to the root. */
  private static byte[] rootFromInclusionProof(
      Sha256Hash leafHash, long index, long treeSize, List<Sha256Hash> proof) {
    if (index < 0 || index >= treeSize || proof.size() > MAX_PROOF_HASHES) {
      return null;
    }
    long fn = index;
    long sn = treeSize - 1;
    byte[] r = leafHash.raw();
    MessageDigest digest = MerkleHashes.newDigest();
    for (Sha256Hash p : proof) {
      if (sn == 0) {
        return null; // more hashes than the path to the root has nodes
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = MerkleHashes.node(digest, p.raw(), r);
        if ((fn & 1) == 0) {
          // fn is the last node of its level with no right sibling: climb past those levels
          while ((fn & 1) == 0 && fn != 0) {
            fn >>>= 1;
            sn >>>= 1;
          }
        }
      } else {
        r = MerkleHashes.node(digest, r, p.raw());
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    return sn == 0 ? r : null; // sn != 0: fewer hashes than the path needs
  }

  /**
   * Whether {@code proof} shows that the tree of {@code size1} leaves with root {@code root1} is a
   * prefix of the tree of {@code size2} leaves with root {@code root2}: nothing logged before
   * {@code size1} was changed, removed or reordered.
   *
   * <p>Edge cases (RFC 9162 §2.1.4): {@code size1 == size2} needs an empty proof and equal roots;
   * {@code size1 == 0} needs an empty proof and {@code root1} equal to the empty-tree hash (any
   * tree extends the empty one); {@code size1 > size2} or a negative size is never consistent.
   */
  public static boolean verifyConsistency(
      long size1, long size2, Sha256Hash root1, Sha256Hash root2, List<Sha256Hash> proof) {
    if (size1 < 0 || size2 < size1 || proof.size() > MAX_PROOF_HASHES) {
      return false;
    }
    if (size1 == size2) {
      return proof.isEmpty() && root1.equals(root2);
    }
    if (size1 == 0) {
      return proof.isEmpty() && root1.equals(MerkleHashes.emptyRoot());
    }
    if (proof.isEmpty()) {
      return false; // step 1
    }
    // Step 2: when size1 is a power of two its root is a node of the new tree and the proof
    // omits it, so the walk starts from root1 itself.
    boolean powerOfTwo = (size1 & (size1 - 1)) == 0;
    int next = powerOfTwo ? 0 : 1;
    byte[] first = powerOfTwo ? root1.raw() : proof.get(0).raw();
    // Step 3-4
    long fn = size1 - 1;
    long sn = size2 - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    // Step 5
    MessageDigest digest = MerkleHashes.newDigest();
    byte[] fr = first;
    byte[] sr = first;
    // Step 6
    for (int i = next; i < proof.size(); i++) {
      byte[] c = proof.get(i).raw();
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = MerkleHashes.node(digest, c, fr);
        sr = MerkleHashes.node(digest, c, sr);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>>= 1;
            sn >>>= 1;
          }
        }
      } else {
        sr = MerkleHashes.node(digest, sr, c);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    // Step 7
    return sn == 0 && Arrays.equals(fr, root1.raw()) && Arrays.equals(sr, root2.raw());
  }
}
