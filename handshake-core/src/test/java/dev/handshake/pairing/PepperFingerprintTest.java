package dev.handshake.pairing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The fingerprint nodes compare: an HMAC of a fixed label under the pepper, not the pepper. */
class PepperFingerprintTest {
  static final byte[] RAW = HexFormat.of()
      .parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

  @Test
  void isHmacSha256OfTheFixedLabelUnderThePepper() throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(RAW, "HmacSHA256"));
    String expected = HexFormat.of()
        .formatHex(mac.doFinal("handshake pepper check v1".getBytes(StandardCharsets.UTF_8)));

    assertThat(PepperFingerprint.of(Pepper.of(RAW)).hex()).isEqualTo(expected);
  }

  @Test
  void neitherHoldsNorPrintsThePepper() {
    PepperFingerprint f = PepperFingerprint.of(Pepper.of(RAW));
    String pepperHex = HexFormat.of().formatHex(RAW);

    assertThat(f.hex()).hasSize(64).isNotEqualTo(pepperHex);
    assertThat(f.toString()).doesNotContain(pepperHex).doesNotContain(f.hex());
  }

  @Test
  void isNoDerivedPepper() {
    Pepper pepper = Pepper.of(RAW);
    PepperFingerprint f = PepperFingerprint.of(pepper);

    for (String purpose : new String[] {"pairing-code", "pepper check v1", ""}) {
      assertThat(f).isNotEqualTo(PepperFingerprint.of(pepper.derive(purpose)));
      assertThat(HexFormat.of().formatHex(pepper.mac(
              ("handshake-pepper:" + purpose).getBytes(StandardCharsets.UTF_8))))
          .as("the derived key for '%s'", purpose)
          .isNotEqualTo(f.hex());
    }
  }

  @Test
  void matchesOnlyTheSamePepper() {
    byte[] other = RAW.clone();
    other[31] ^= 1;

    assertThat(PepperFingerprint.of(Pepper.of(RAW)).matches(PepperFingerprint.of(Pepper.of(RAW))))
        .isTrue();
    assertThat(PepperFingerprint.of(Pepper.of(RAW)).matches(PepperFingerprint.of(Pepper.of(other))))
        .isFalse();
  }

  @Test
  void somethingElseThanSixtyFourLowerCaseHexIsRefused() {
    String valid = PepperFingerprint.of(Pepper.of(RAW)).hex();

    assertThatThrownBy(() -> new PepperFingerprint(valid.toUpperCase()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PepperFingerprint(valid.substring(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PepperFingerprint(valid.substring(1) + "g"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
