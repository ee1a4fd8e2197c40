package dev.handshake.identity;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The reference's passphrase-sealed blob (aiss.md §2.7, the {@code data.enc} member of a {@code
 * .pqz} archive): 32-byte salt ‖ 12-byte nonce ‖ AES-256-GCM ciphertext ‖ 16-byte tag, no AAD, key
 * = PBKDF2-HMAC-SHA256(UTF-8 passphrase, salt, 100,000 iterations, 32 bytes).
 *
 * <p>This is a compatibility format: PBKDF2 at 100,000 iterations is far cheaper to attack than the
 * scrypt our key files use, and nothing but the tag binds the blob to its context. We write it only
 * where a reference reader must open the result; use a long random passphrase. Salt and nonce are
 * fresh for every seal, so two seals of the same data differ. The derived key and passphrase bytes
 * are zeroed before returning.
 *
 * <pre>{@code
 * byte[] blob = PbkdfSealedBlob.seal(plaintext, passphrase, new SecureRandom());
 * Optional<byte[]> opened = PbkdfSealedBlob.open(blob, passphrase); // empty: wrong passphrase
 * }</pre>
 */
public final class PbkdfSealedBlob {
  public static final int SALT_SIZE = 32;
  public static final int NONCE_SIZE = 12;
  public static final int TAG_SIZE = 16;

  /** Bytes a blob adds to its plaintext: salt, nonce and tag. */
  public static final int OVERHEAD = SALT_SIZE + NONCE_SIZE + TAG_SIZE;

  /**
   * The reference's fixed PBKDF2 iteration count; its readers assume it, whatever metadata says.
   */
  public static final int ITERATIONS = 100_000;

  private static final int KEY_BITS = 256;

  private PbkdfSealedBlob() {}

  /**
   * Seals {@code plaintext} under {@code passphrase} with a fresh salt and nonce from {@code
   * random}.
   */
  public static byte[] seal(byte[] plaintext, Passphrase passphrase, SecureRandom random) {
    byte[] salt = new byte[SALT_SIZE];
    byte[] nonce = new byte[NONCE_SIZE];
    random.nextBytes(salt);
    random.nextBytes(nonce);
    KeyParameter key = derive(passphrase, salt);
    try {
      GCMModeCipher gcm = gcm(true, key, nonce);
      byte[] out = new byte[SALT_SIZE + NONCE_SIZE + gcm.getOutputSize(plaintext.length)];
      System.arraycopy(salt, 0, out, 0, SALT_SIZE);
      System.arraycopy(nonce, 0, out, SALT_SIZE, NONCE_SIZE);
      int offset = SALT_SIZE + NONCE_SIZE;
      int written = gcm.processBytes(plaintext, 0, plaintext.length, out, offset);
      gcm.doFinal(out, offset + written);
      return out;
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("AES-GCM encryption cannot fail", e);
    } finally {
      Arrays.fill(key.getKey(), (byte) 0);
    }
  }

  /**
   * The plaintext sealed in {@code blob}; empty when the blob is shorter than {@link #OVERHEAD} or
   * its tag does not verify (a wrong passphrase and an altered blob look the same).
   */
  public static Optional<byte[]> open(byte[] blob, Passphrase passphrase) {
    if (blob.length < OVERHEAD) {
      return Optional.empty();
    }
    byte[] salt = Arrays.copyOfRange(blob, 0, SALT_SIZE);
    byte[] nonce = Arrays.copyOfRange(blob, SALT_SIZE, SALT_SIZE + NONCE_SIZE);
    int offset = SALT_SIZE + NONCE_SIZE;
    KeyParameter key = derive(passphrase, salt);
    GCMModeCipher gcm = gcm(false, key, nonce);
    // GCM may release plaintext before the tag is checked; the buffer is dropped unless it passes.
    byte[] work = new byte[gcm.getOutputSize(blob.length - offset)];
    try {
      int written = gcm.processBytes(blob, offset, blob.length - offset, work, 0);
      written += gcm.doFinal(work, written);
      return Optional.of(written == work.length ? work : Arrays.copyOf(work, written));
    } catch (InvalidCipherTextException e) {
      Arrays.fill(work, (byte) 0);
      return Optional.empty();
    } finally {
      Arrays.fill(key.getKey(), (byte) 0);
    }
  }

  private static GCMModeCipher gcm(boolean encrypt, KeyParameter key, byte[] nonce) {
    GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
    gcm.init(encrypt, new AEADParameters(key, TAG_SIZE * 8, nonce));
    return gcm;
  }

  private static KeyParameter derive(Passphrase passphrase, byte[] salt) {
    byte[] secret = passphrase.utf8();
    try {
      PKCS5S2ParametersGenerator generator =
          new PKCS5S2ParametersGenerator(SHA256Digest.newInstance());
      generator.init(secret, salt, ITERATIONS);
      return (KeyParameter) generator.generateDerivedParameters(KEY_BITS);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }
}
