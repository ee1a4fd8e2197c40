package dev.handshake.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Base58Test {
  @Test
  void leadingZeroBytesBecomeLeadingOnesAndBack() {
    byte[] input = HexFormat.of().parseHex("0000287fb4cd");
    assertThat(Base58.encode(input)).isEqualTo("11233QC4");
    assertThat(Base58.decode("11233QC4")).hasValueSatisfying(b -> assertThat(b).isEqualTo(input));
    assertThat(Base58.encode(new byte[0])).isEmpty();
  }

  @Test
  void randomBytesRoundTrip() {
    Random random = new Random(7);
    for (int i = 0; i < 500; i++) {
      byte[] bytes = new byte[random.nextInt(70)];
      random.nextBytes(bytes);
      if (bytes.length > 0 && random.nextBoolean()) {
        bytes[0] = 0;
      }
      assertThat(Base58.decode(Base58.encode(bytes)).orElseThrow()).isEqualTo(bytes);
    }
  }

  @Test
  void charactersOutsideTheAlphabetAreRejected() {
    assertThat(Base58.decode("3HhG0PB")).isEmpty();
    assertThat(Base58.decode("3HhG PB")).isEmpty();
    assertThat(Base58.decode("3HhGlPB")).isEmpty();
    assertThat(Base58.decode("3HhG=")).isEmpty();
    assertThat(Base58.decode("é")).isEmpty();
  }
}
