package dev.handshake.audit.log;

import static dev.handshake.audit.log.NaiveMerkle.flip;
import static dev.handshake.audit.log.NaiveMerkle.replace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MerkleProofsTest {
  private static final int MAX = 64;
  private TransparencyLog log;
  private List<Sha256Hash> leaves;

  @BeforeAll
  void buildLog() {
    log = NaiveMerkle.memoryLog(MAX);
    leaves = NaiveMerkle.leaves(MAX);
  }

  @AfterAll
  void closeLog() {
    log.close();
  }

  private static List<Sha256Hash> hashes(String... hex) {
    return List.of(hex).stream().map(h -> Sha256Hash.parseHex(h).orElseThrow()).toList();
  }

  private static Sha256Hash ctRoot(int size) {
    return Sha256Hash.parseHex(MerkleHashesTest.CT_ROOTS.get(size)).orElseThrow();
  }

  @Nested
  class Inclusion {
    @Test
    void referenceProofsFromCertificateTransparencyVerify() {
      List<Sha256Hash> ct = MerkleHashesTest.ctLeafHashes();
      List<Sha256Hash> proof0 =
          hashes(
              "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
              "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
              "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
      List<Sha256Hash> proof5 =
          hashes(
              "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
              "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
              "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
      assertThat(MerkleProofs.verifyInclusion(ct.get(0), 0, 8, proof0, ctRoot(8))).isTrue();
      assertThat(MerkleProofs.verifyInclusion(ct.get(5), 5, 8, proof5, ctRoot(8))).isTrue();
      assertThat(NaiveMerkle.path(0, ct)).isEqualTo(proof0);
      assertThat(NaiveMerkle.path(5, ct)).isEqualTo(proof5);
    }

    @Test
    void everyIndexOfEverySizeUpTo64HasTheRfcPathAndItVerifies() {
      for (int size = 1; size <= MAX; size++) {
        Sha256Hash root = log.root(size);
        for (int index = 0; index < size; index++) {
          List<Sha256Hash> proof = log.inclusionProof(index, size);
          assertThat(proof)
              .as("PATH(%d, D[%d])", index, size)
              .isEqualTo(NaiveMerkle.path(index, leaves.subList(0, size)));
          assertThat(MerkleProofs.verifyInclusion(leaves.get(index), index, size, proof, root))
              .as("inclusion of %d in %d", index, size)
              .isTrue();
        }
      }
    }

    @Test
    void aFlippedBitAnywhereFailsEveryProofOfEverySizeUpTo64() {
      for (int size = 1; size <= MAX; size++) {
        Sha256Hash root = log.root(size);
        for (int index = 0; index < size; index++) {
          List<Sha256Hash> proof = log.inclusionProof(index, size);
          int bit = (size * 31 + index * 7) % 256;
          Sha256Hash leaf = leaves.get(index);
          assertThat(MerkleProofs.verifyInclusion(flip(leaf, bit), index, size, proof, root))
              .as("flipped leaf, %d in %d", index, size)
              .isFalse();
          assertThat(MerkleProofs.verifyInclusion(leaf, index, size, proof, flip(root, bit)))
              .as("flipped root, %d in %d", index, size)
              .isFalse();
          for (int i = 0; i < proof.size(); i++) {
            List<Sha256Hash> tampered = replace(proof, i, flip(proof.get(i), bit));
            assertThat(MerkleProofs.verifyInclusion(leaf, index, size, tampered, root))
                .as("flipped proof hash %d, %d in %d", i, index, size)
                .isFalse();
          }
        }
      }
    }

    @Test
    void aProofDoesNotVerifyForAnotherIndexOrSize() {
      for (int size = 2; size < MAX; size++) {
        Sha256Hash root = log.root(size);
        for (int index = 0; index < size; index++) {
          List<Sha256Hash> proof = log.inclusionProof(index, size);
          int other = (index + 1) % size;
          assertThat(MerkleProofs.verifyInclusion(leaves.get(index), other, size, proof, root))
              .as("proof of %d used for %d in %d", index, other, size)
              .isFalse();
          assertThat(
                  MerkleProofs.verifyInclusion(
                      leaves.get(index), index, size + 1, proof, log.root(size + 1)))
              .as("proof of %d in %d used for the tree of %d", index, size, size + 1)
              .isFalse();
        }
      }
    }

    @Test
    void aProofWithAHashTooManyOrTooFewFails() {
      for (int size = 1; size <= MAX; size++) {
        Sha256Hash root = log.root(size);
        for (int index = 0; index < size; index++) {
          List<Sha256Hash> proof = log.inclusionProof(index, size);
          List<Sha256Hash> longer = new ArrayList<>(proof);
          longer.add(root);
          assertThat(MerkleProofs.verifyInclusion(leaves.get(index), index, size, longer, root))
              .isFalse();
          if (!proof.isEmpty()) {
            assertThat(
                    MerkleProofs.verifyInclusion(
                        leaves.get(index), index, size, proof.subList(0, proof.size() - 1), root))
                .isFalse();
          }
        }
      }
    }

    @Test
    void indexesOutsideTheTreeNeverVerify() {
      Sha256Hash root = log.root(8);
      List<Sha256Hash> proof = log.inclusionProof(7, 8);
      assertThat(MerkleProofs.verifyInclusion(leaves.get(7), 8, 8, proof, root)).isFalse();
      assertThat(MerkleProofs.verifyInclusion(leaves.get(7), -1, 8, proof, root)).isFalse();
      assertThat(
              MerkleProofs.verifyInclusion(
                  leaves.get(0), 0, 0, List.of(), MerkleHashes.emptyRoot()))
          .isFalse();
    }

    @Test
    void theOnlyLeafOfASizeOneTreeIsItsOwnRootWithAnEmptyProof() {
      assertThat(MerkleProofs.verifyInclusion(leaves.get(0), 0, 1, List.of(), leaves.get(0)))
          .isTrue();
      assertThat(
              MerkleProofs.verifyInclusion(
                  leaves.get(0), 0, 1, List.of(leaves.get(0)), leaves.get(0)))
          .isFalse();
    }

    @Test
    void proofsLongerThan63HashesAreRefusedUnread() {
      List<Sha256Hash> huge = java.util.Collections.nCopies(64, leaves.get(0));
      assertThat(
              MerkleProofs.verifyInclusion(leaves.get(0), 0, Long.MAX_VALUE, huge, leaves.get(0)))
          .isFalse();
    }

    @Test
    void theLogRefusesProofsOutsideItsTree() {
      assertThatThrownBy(() -> log.inclusionProof(5, 5))
          .isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> log.inclusionProof(-1, 5))
          .isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> log.inclusionProof(0, MAX + 1))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class Consistency {
    @Test
    void referenceProofsFromCertificateTransparencyVerify() {
      List<Sha256Hash> ct = MerkleHashesTest.ctLeafHashes();
      record Vector(int m, int n, List<Sha256Hash> proof) {}
      List<Vector> vectors =
          List.of(
              new Vector(1, 1, List.of()),
              new Vector(
                  1,
                  8,
                  hashes(
                      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
              new Vector(
                  6,
                  8,
                  hashes(
                      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
              new Vector(
                  2,
                  5,
                  hashes(
                      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")));
      for (Vector v : vectors) {
        assertThat(NaiveMerkle.proof(v.m, ct.subList(0, v.n))).isEqualTo(v.proof);
        assertThat(MerkleProofs.verifyConsistency(v.m, v.n, ctRoot(v.m), ctRoot(v.n), v.proof))
            .as("%d -> %d", v.m, v.n)
            .isTrue();
      }
    }

    @Test
    void everyPairOfSizesUpTo64HasTheRfcProofAndItVerifies() {
      for (int size2 = 1; size2 <= MAX; size2++) {
        for (int size1 = 0; size1 <= size2; size1++) {
          List<Sha256Hash> proof = log.consistencyProof(size1, size2);
          assertThat(proof)
              .as("PROOF(%d, D[%d])", size1, size2)
              .isEqualTo(NaiveMerkle.proof(size1, leaves.subList(0, size2)));
          assertThat(
                  MerkleProofs.verifyConsistency(
                      size1, size2, log.root(size1), log.root(size2), proof))
              .as("%d -> %d", size1, size2)
              .isTrue();
        }
      }
    }

    @Test
    void tamperingWithAnyHashOrEitherRootFailsEveryPairUpTo64() {
      for (int size2 = 1; size2 <= MAX; size2++) {
        for (int size1 = 1; size1 <= size2; size1++) {
          List<Sha256Hash> proof = log.consistencyProof(size1, size2);
          Sha256Hash root1 = log.root(size1);
          Sha256Hash root2 = log.root(size2);
          int bit = (size1 * 13 + size2) % 256;
          assertThat(MerkleProofs.verifyConsistency(size1, size2, flip(root1, bit), root2, proof))
              .as("flipped old root, %d -> %d", size1, size2)
              .isFalse();
          assertThat(MerkleProofs.verifyConsistency(size1, size2, root1, flip(root2, bit), proof))
              .as("flipped new root, %d -> %d", size1, size2)
              .isFalse();
          for (int i = 0; i < proof.size(); i++) {
            List<Sha256Hash> tampered = replace(proof, i, flip(proof.get(i), bit));
            assertThat(MerkleProofs.verifyConsistency(size1, size2, root1, root2, tampered))
                .as("flipped proof hash %d, %d -> %d", i, size1, size2)
                .isFalse();
          }
          List<Sha256Hash> longer = new ArrayList<>(proof);
          longer.add(root1);
          assertThat(MerkleProofs.verifyConsistency(size1, size2, root1, root2, longer))
              .as("extra hash, %d -> %d", size1, size2)
              .isFalse();
          if (!proof.isEmpty()) {
            assertThat(
                    MerkleProofs.verifyConsistency(
                        size1, size2, root1, root2, proof.subList(0, proof.size() - 1)))
                .as("missing hash, %d -> %d", size1, size2)
                .isFalse();
          }
        }
      }
    }

    @Test
    void aProofDoesNotVerifyForOtherSizes() {
      for (int size2 = 3; size2 <= MAX; size2++) {
        for (int size1 = 1; size1 < size2 - 1; size1++) {
          List<Sha256Hash> proof = log.consistencyProof(size1, size2);
          assertThat(
                  MerkleProofs.verifyConsistency(
                      size1 + 1, size2, log.root(size1 + 1), log.root(size2), proof))
              .as("proof for %d -> %d used for %d -> %d", size1, size2, size1 + 1, size2)
              .isFalse();
        }
      }
    }

    @Test
    void aForkedLogIsNotConsistentWithTheOriginal() {
      List<Sha256Hash> forked = new ArrayList<>(leaves.subList(0, 20));
      forked.set(3, NaiveMerkle.leaf(1000)); // leaf 3 rewritten after size 10 was published
      Sha256Hash forkedRoot = MerkleHashes.root(forked);
      List<Sha256Hash> proof = NaiveMerkle.proof(10, forked);
      assertThat(MerkleProofs.verifyConsistency(10, 20, log.root(10), forkedRoot, proof)).isFalse();
    }

    @Test
    void equalSizesNeedAnEmptyProofAndEqualRoots() {
      Sha256Hash root = log.root(9);
      assertThat(MerkleProofs.verifyConsistency(9, 9, root, root, List.of())).isTrue();
      assertThat(MerkleProofs.verifyConsistency(9, 9, root, log.root(8), List.of())).isFalse();
      assertThat(MerkleProofs.verifyConsistency(9, 9, root, root, List.of(root))).isFalse();
    }

    @Test
    void theEmptyTreeIsConsistentWithAnyTreeOnlyWithAnEmptyProofAndTheEmptyRoot() {
      Sha256Hash empty = MerkleHashes.emptyRoot();
      assertThat(MerkleProofs.verifyConsistency(0, 5, empty, log.root(5), List.of())).isTrue();
      assertThat(MerkleProofs.verifyConsistency(0, 0, empty, empty, List.of())).isTrue();
      assertThat(MerkleProofs.verifyConsistency(0, 5, empty, log.root(5), List.of(empty)))
          .isFalse();
      assertThat(MerkleProofs.verifyConsistency(0, 5, log.root(1), log.root(5), List.of()))
          .isFalse();
    }

    @Test
    void aShrinkingTreeOrNegativeSizeIsNeverConsistent() {
      assertThat(MerkleProofs.verifyConsistency(5, 4, log.root(5), log.root(4), List.of()))
          .isFalse();
      assertThat(MerkleProofs.verifyConsistency(-1, 4, log.root(1), log.root(4), List.of()))
          .isFalse();
    }

    @Test
    void growingSizesNeedANonEmptyProof() {
      assertThat(MerkleProofs.verifyConsistency(4, 8, log.root(4), log.root(8), List.of()))
          .isFalse();
    }

    @Test
    void theLogRefusesProofsOutsideItsTree() {
      assertThatThrownBy(() -> log.consistencyProof(5, 4))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> log.consistencyProof(1, MAX + 1))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
