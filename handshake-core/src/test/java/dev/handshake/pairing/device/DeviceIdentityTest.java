package dev.handshake.pairing.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.crypto.Ed25519PublicKey;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DeviceIdentityTest {
  /** RFC 8032 §7.1 test 1 public key. */
  private static final byte[] RFC8032_KEY = HexFormat.of()
      .parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");

  @Test
  void deviceIdIsLowercaseHexSha256OfTheRawKey() throws Exception {
    String expected = HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(RFC8032_KEY));

    DeviceIdentity id = DeviceIdentity.of(Ed25519PublicKey.of(RFC8032_KEY));

    assertThat(id.deviceId()).isEqualTo(expected).matches("[0-9a-f]{64}");
  }

  @Test
  void base64UrlRawKeyAndPemNameTheSameDevice() {
    DeviceIdentity id = DeviceIdentity.of(Ed25519PublicKey.of(RFC8032_KEY));
    String raw = Base64.getUrlEncoder().withoutPadding().encodeToString(RFC8032_KEY);

    assertThat(DeviceIdentity.parse(raw).toOptional()).contains(id);
    assertThat(DeviceIdentity.parse(raw + "=").toOptional()).contains(id);
    assertThat(DeviceIdentity.parse(id.publicKeyPem()).toOptional()).contains(id);
    assertThat(DeviceIdentity.parse(id.publicKeyPem().replace("\n", "\r\n")).toOptional())
        .contains(id);
    assertThat(id.publicKeyBase64Url()).isEqualTo(raw);
  }

  @Test
  void keysOfTheWrongSizeOrFormAreInvalidValuesNotExceptions() throws Exception {
    String rsaPem = "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(
            KeyPairGenerator.getInstance("RSA").generateKeyPair().getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();

    assertThat(DeviceIdentity.parse(url.encodeToString(new byte[31])))
        .isInstanceOf(DeviceIdentity.Parse.Invalid.class);
    assertThat(DeviceIdentity.parse(url.encodeToString(new byte[33])))
        .isInstanceOf(DeviceIdentity.Parse.Invalid.class);
    assertThat(DeviceIdentity.parse("not a key!")).isInstanceOf(DeviceIdentity.Parse.Invalid.class);
    assertThat(DeviceIdentity.parse("")).isInstanceOf(DeviceIdentity.Parse.Invalid.class);
    assertThat(DeviceIdentity.parse(rsaPem)).isInstanceOf(DeviceIdentity.Parse.Invalid.class);
    assertThat(DeviceIdentity.parse("x".repeat(10_000)))
        .isInstanceOf(DeviceIdentity.Parse.Invalid.class);
  }

  @Test
  void anIdentityCannotBeBuiltWithAnIdThatIsNotItsKeysHash() {
    Ed25519PublicKey key = Ed25519PublicKey.of(RFC8032_KEY);
    String upper = DeviceIdentity.idOf(key).toUpperCase(java.util.Locale.ROOT);

    assertThatThrownBy(() -> new DeviceIdentity(upper, key))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(DeviceIdentity.of(key).hasId(upper)).isFalse();
  }
}
