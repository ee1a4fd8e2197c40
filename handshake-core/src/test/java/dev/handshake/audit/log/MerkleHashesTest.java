package dev.handshake.audit.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.crypto.Sha256;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleHashesTest {
  private static final HexFormat HEX = HexFormat.of();

  /** The Certificate Transparency reference leaves (RFC 6962 test data, also used by Go's tlog). */
  static final List<byte[]> CT_LEAVES =
      List.of(
          HEX.parseHex(""),
          HEX.parseHex("00"),
          HEX.parseHex("10"),
          HEX.parseHex("2021"),
          HEX.parseHex("3031"),
          HEX.parseHex("40414243"),
          HEX.parseHex("5051525354555657"),
          HEX.parseHex("606162636465666768696a6b6c6d6e6f"));

  /** Their roots for tree sizes 0..8. */
  static final List<String> CT_ROOTS =
      List.of(
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
          "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
          "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
          "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
          "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
          "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
          "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

  static List<Sha256Hash> ctLeafHashes() {
    return CT_LEAVES.stream().map(MerkleHashes::leafHash).toList();
  }

  @Test
  void emptyTreeRootIsSha256OfTheEmptyString() {
    assertThat(MerkleHashes.emptyRoot().hex())
        .isEqualTo(Sha256.hex(new byte[0]))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(MerkleHashes.root(List.of())).isEqualTo(MerkleHashes.emptyRoot());
  }

  @Test
  void leafHashPrefixesTheEntryWithZeroByte() {
    byte[] entry = {0x10, 0x20};
    assertThat(MerkleHashes.leafHash(entry).hex())
        .isEqualTo(Sha256.hex(new byte[] {0, 0x10, 0x20}));
  }

  @Test
  void nodeHashPrefixesTheChildrenWithOneByte() {
    Sha256Hash left = NaiveMerkle.leaf(1);
    Sha256Hash right = NaiveMerkle.leaf(2);
    byte[] preimage = new byte[65];
    preimage[0] = 1;
    System.arraycopy(left.bytes(), 0, preimage, 1, 32);
    System.arraycopy(right.bytes(), 0, preimage, 33, 32);
    assertThat(MerkleHashes.nodeHash(left, right).hex()).isEqualTo(Sha256.hex(preimage));
  }

  @Test
  void rootsMatchTheCertificateTransparencyReferenceForSizesZeroToEight() {
    List<Sha256Hash> leaves = ctLeafHashes();
    for (int n = 0; n <= 8; n++) {
      assertThat(MerkleHashes.root(leaves.subList(0, n)).hex())
          .as("root of the first %d reference leaves", n)
          .isEqualTo(CT_ROOTS.get(n));
    }
  }

  @Test
  void rootAgreesWithTheRecursiveDefinitionForEverySizeUpTo130() {
    List<Sha256Hash> leaves = NaiveMerkle.leaves(130);
    for (int n = 0; n <= leaves.size(); n++) {
      assertThat(MerkleHashes.root(leaves.subList(0, n)))
          .as("MTH of %d leaves", n)
          .isEqualTo(NaiveMerkle.mth(leaves.subList(0, n)));
    }
  }

  @Test
  void oddSizesSplitAtTheLargestPowerOfTwoNotTheMiddle() {
    List<Sha256Hash> d = NaiveMerkle.leaves(7);
    Sha256Hash rfc =
        MerkleHashes.nodeHash(NaiveMerkle.mth(d.subList(0, 4)), NaiveMerkle.mth(d.subList(4, 7)));
    Sha256Hash midpoint =
        MerkleHashes.nodeHash(NaiveMerkle.mth(d.subList(0, 3)), NaiveMerkle.mth(d.subList(3, 7)));
    assertThat(MerkleHashes.root(d)).isEqualTo(rfc).isNotEqualTo(midpoint);
  }

  @Test
  void transparencyLogRootsMatchTheDefinitionForEveryHistoricalSize() {
    try (TransparencyLog log = TransparencyLog.open(new InMemoryLogStore())) {
      CT_LEAVES.forEach(log::append);
      for (int n = 0; n <= 8; n++) {
        assertThat(log.root(n).hex()).as("log root at size %d", n).isEqualTo(CT_ROOTS.get(n));
      }
      assertThat(log.head())
          .isEqualTo(new TreeHead(8, Sha256Hash.parseHex(CT_ROOTS.get(8)).orElseThrow()));
    }
  }
}
