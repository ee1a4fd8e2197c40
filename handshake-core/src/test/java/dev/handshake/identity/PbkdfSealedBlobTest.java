package dev.handshake.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** {@link PbkdfSealedBlob}: the reference's {@code data.enc} construction (aiss.md §2.7). */
class PbkdfSealedBlobTest {
  private static final String PASSPHRASE = "pässwörd \uD83D\uDD11";
  private static final byte[] PLAINTEXT = "[{\"event\": \"pqz\"}]".getBytes(StandardCharsets.UTF_8);

  /**
   * Made with CPython: salt = bytes 0..31, nonce = bytes 100..111, key = {@code
   * hashlib.pbkdf2_hmac('sha256', PASSPHRASE.encode(), salt, 100000, 32)}, {@code
   * AESGCM(key).encrypt(nonce, PLAINTEXT, None)} from the {@code cryptography} package.
   */
  private static final byte[] PYTHON_BLOB =
      HexFormat.of()
          .parseHex(
              "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
                  + "6465666768696a6b6c6d6e6f"
                  + "d2d2e65c852b51988542364992616405b8704604458228b10f7c52a41f4a71199301");

  @Test
  void item10_opensABlobSealedByThePythonReference() {
    assertThat(PbkdfSealedBlob.open(PYTHON_BLOB, Passphrase.copyOf(PASSPHRASE)))
        .hasValueSatisfying(p -> assertThat(p).isEqualTo(PLAINTEXT));
  }

  @Test
  void wrongPassphraseOrAlteredBlobOpensToNothing() {
    assertThat(PbkdfSealedBlob.open(PYTHON_BLOB, Passphrase.copyOf("pässwörd"))).isEmpty();
    byte[] altered = PYTHON_BLOB.clone();
    altered[altered.length - 20] ^= 1;
    assertThat(PbkdfSealedBlob.open(altered, Passphrase.copyOf(PASSPHRASE))).isEmpty();
    assertThat(
            PbkdfSealedBlob.open(
                Arrays.copyOf(PYTHON_BLOB, PbkdfSealedBlob.OVERHEAD - 1),
                Passphrase.copyOf(PASSPHRASE)))
        .as("shorter than salt, nonce and tag")
        .isEmpty();
  }

  @Test
  void aSealedBlobOpensWithTheJdkCipherAndPbkdf2() throws Exception {
    byte[] blob =
        PbkdfSealedBlob.seal(PLAINTEXT, Passphrase.copyOf(PASSPHRASE), new SecureRandom());

    byte[] salt = Arrays.copyOfRange(blob, 0, 32);
    byte[] nonce = Arrays.copyOfRange(blob, 32, 44);
    byte[] key =
        SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
            .generateSecret(new PBEKeySpec(PASSPHRASE.toCharArray(), salt, 100_000, 256))
            .getEncoded();
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));

    assertThat(gcm.doFinal(blob, 44, blob.length - 44)).isEqualTo(PLAINTEXT);
    assertThat(blob).hasSize(PLAINTEXT.length + PbkdfSealedBlob.OVERHEAD);
  }

  @Test
  void twoSealsOfTheSameDataDiffer() {
    SecureRandom random = new SecureRandom();
    Passphrase passphrase = Passphrase.copyOf(PASSPHRASE);
    assertThat(PbkdfSealedBlob.seal(PLAINTEXT, passphrase, random))
        .isNotEqualTo(PbkdfSealedBlob.seal(PLAINTEXT, passphrase, random));
  }
}
