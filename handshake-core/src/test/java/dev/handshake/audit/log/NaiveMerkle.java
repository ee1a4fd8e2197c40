package dev.handshake.audit.log;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 9162 §2.1 written as literally as the RFC states it (recursion on list slices), to check the
 * fast implementations against. Quadratic and slow; only for small trees.
 */
final class NaiveMerkle {
  private NaiveMerkle() {}

  static Sha256Hash leaf(int i) {
    return MerkleHashes.leafHash(("leaf " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  static List<Sha256Hash> leaves(int n) {
    List<Sha256Hash> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(leaf(i));
    }
    return out;
  }

  static int split(int n) {
    int k = 1;
    while (k << 1 < n) {
      k <<= 1;
    }
    return k;
  }

  /** MTH(D[n]). */
  static Sha256Hash mth(List<Sha256Hash> d) {
    if (d.isEmpty()) {
      return MerkleHashes.emptyRoot();
    }
    if (d.size() == 1) {
      return d.get(0);
    }
    int k = split(d.size());
    return MerkleHashes.nodeHash(mth(d.subList(0, k)), mth(d.subList(k, d.size())));
  }

  /** PATH(m, D[n]). */
  static List<Sha256Hash> path(int m, List<Sha256Hash> d) {
    List<Sha256Hash> out = new ArrayList<>();
    if (d.size() <= 1) {
      return out;
    }
    int k = split(d.size());
    if (m < k) {
      out.addAll(path(m, d.subList(0, k)));
      out.add(mth(d.subList(k, d.size())));
    } else {
      out.addAll(path(m - k, d.subList(k, d.size())));
      out.add(mth(d.subList(0, k)));
    }
    return out;
  }

  /** PROOF(m, D[n]). */
  static List<Sha256Hash> proof(int m, List<Sha256Hash> d) {
    return m == 0 ? List.of() : subproof(m, d, true);
  }

  private static List<Sha256Hash> subproof(int m, List<Sha256Hash> d, boolean b) {
    List<Sha256Hash> out = new ArrayList<>();
    int n = d.size();
    if (m == n) {
      if (!b) {
        out.add(mth(d));
      }
      return out;
    }
    int k = split(n);
    if (m <= k) {
      out.addAll(subproof(m, d.subList(0, k), b));
      out.add(mth(d.subList(k, n)));
    } else {
      out.addAll(subproof(m - k, d.subList(k, n), false));
      out.add(mth(d.subList(0, k)));
    }
    return out;
  }

  /** {@code hash} with one bit flipped. */
  static Sha256Hash flip(Sha256Hash hash, int bit) {
    byte[] b = hash.bytes();
    b[bit / 8 % 32] ^= (byte) (1 << (bit % 8));
    return Sha256Hash.of(b);
  }

  static List<Sha256Hash> replace(List<Sha256Hash> list, int index, Sha256Hash value) {
    List<Sha256Hash> copy = new ArrayList<>(list);
    copy.set(index, value);
    return copy;
  }

  static TransparencyLog memoryLog(int n) {
    TransparencyLog log = TransparencyLog.open(new InMemoryLogStore());
    for (int i = 0; i < n; i++) {
      log.append(("leaf " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return log;
  }
}
