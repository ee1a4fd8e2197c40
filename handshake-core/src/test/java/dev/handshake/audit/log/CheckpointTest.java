package dev.handshake.audit.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointTest {
  private static final Sha256Hash SOFA_ROOT =
      Sha256Hash.parseBase64("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=").orElseThrow();

  @Test
  void textIsByteForByteTheC2spExample() {
    Checkpoint checkpoint = new Checkpoint("example.com/behind-the-sofa", 20852163, SOFA_ROOT);
    assertThat(checkpoint.text())
        .isEqualTo(
            "example.com/behind-the-sofa\n"
                + "20852163\n"
                + "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
  }

  @Test
  void extensionLinesFollowTheRootAndRoundTrip() throws Exception {
    Checkpoint checkpoint =
        new Checkpoint("example.com/log", 0, MerkleHashes.emptyRoot(), List.of("ext one", "ext2"));
    String text = checkpoint.text();
    assertThat(text)
        .isEqualTo(
            "example.com/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\next one\next2\n");
    assertThat(Checkpoint.parse(text)).isEqualTo(checkpoint);
  }

  @Test
  void parsingGivesBackTheCheckpoint() throws Exception {
    Checkpoint parsed =
        Checkpoint.parse(
            "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
    assertThat(parsed)
        .isEqualTo(new Checkpoint("example.com/behind-the-sofa", 20852163, SOFA_ROOT));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "log\n012\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", // leading zero
        "log\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", // sign
        "log\n+1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "log\n 1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "log\n99999999999999999999\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", // > long
        "log\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n", // unpadded
        "log\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n", // empty line
        "log\n1\nAAAA\n", // 3-byte root
        "log\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=", // no final newline
        "log\n1\n", // no root
        "\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", // empty origin
      })
  void malformedTextIsRefused(String text) {
    assertThatThrownBy(() -> Checkpoint.parse(text)).isInstanceOf(LogFormatException.class);
  }

  @Test
  void originsAndExtensionsMustBeSingleNonEmptyLines() {
    assertThatThrownBy(() -> new Checkpoint("", 1, SOFA_ROOT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Checkpoint("a\nb", 1, SOFA_ROOT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Checkpoint("a", 1, SOFA_ROOT, List.of("")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
