package dev.handshake.identity;

import dev.handshake.crypto.Ed25519PrivateKey;
import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Seals a 32-byte Ed25519 seed with AES-256-GCM under a key derived by scrypt from a passphrase,
 * the construction shared by our format and the reference's PQKY file (aiss.md §2.1). The derived
 * key, the passphrase bytes and the plaintext seed are zeroed before returning.
 */
final class SeedCipher {
  static final int SALT_SIZE = 32;
  static final int NONCE_SIZE = 12;
  static final int TAG_SIZE = 16;
  static final int SEALED_SIZE = Ed25519PrivateKey.SEED_SIZE + TAG_SIZE;
  private static final int KEY_SIZE = 32;

  private SeedCipher() {}

  /** scrypt parameters as read from, or to be written to, a file. */
  record Scrypt(int n, int r, int p, byte[] salt) {}

  /** The seed's ciphertext and tag ({@link #SEALED_SIZE} bytes). */
  static byte[] seal(
      Ed25519PrivateKey key, Passphrase passphrase, Scrypt kdf, byte[] nonce, byte[] aad) {
    byte[] seed = key.exportSeed();
    byte[] aesKey = derive(passphrase, kdf);
    KeyParameter keyParameter = new KeyParameter(aesKey);
    Arrays.fill(aesKey, (byte) 0);
    try {
      GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
      gcm.init(true, new AEADParameters(keyParameter, TAG_SIZE * 8, nonce, aad));
      byte[] out = new byte[gcm.getOutputSize(seed.length)];
      int written = gcm.processBytes(seed, 0, seed.length, out, 0);
      gcm.doFinal(out, written);
      return out;
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("AES-GCM encryption cannot fail", e);
    } finally {
      Arrays.fill(seed, (byte) 0);
      Arrays.fill(keyParameter.getKey(), (byte) 0);
    }
  }

  /**
   * The key whose seed {@code sealed} holds.
   *
   * @throws KeyFileException {@code wrong passphrase…} when the tag does not verify
   */
  static Ed25519PrivateKey open(
      byte[] sealed, Passphrase passphrase, Scrypt kdf, byte[] nonce, byte[] aad)
      throws KeyFileException {
    if (sealed.length != SEALED_SIZE) {
      throw KeyFileException.corrupt("ciphertext must be " + SEALED_SIZE + " bytes");
    }
    byte[] aesKey = derive(passphrase, kdf);
    KeyParameter keyParameter = new KeyParameter(aesKey);
    Arrays.fill(aesKey, (byte) 0);
    byte[] seed = new byte[Ed25519PrivateKey.SEED_SIZE];
    // GCM may write plaintext before the tag is checked; work is zeroed whatever happens.
    byte[] work = new byte[SEALED_SIZE];
    try {
      GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
      gcm.init(false, new AEADParameters(keyParameter, TAG_SIZE * 8, nonce, aad));
      int written = gcm.processBytes(sealed, 0, sealed.length, work, 0);
      written += gcm.doFinal(work, written);
      if (written != seed.length) {
        throw KeyFileException.corrupt("the decrypted seed is not 32 bytes");
      }
      System.arraycopy(work, 0, seed, 0, seed.length);
      return Ed25519PrivateKey.fromSeed(seed);
    } catch (InvalidCipherTextException e) {
      throw KeyFileException.wrongPassphrase(" (or the key file was altered)");
    } finally {
      Arrays.fill(seed, (byte) 0);
      Arrays.fill(work, (byte) 0);
      Arrays.fill(keyParameter.getKey(), (byte) 0);
    }
  }

  private static byte[] derive(Passphrase passphrase, Scrypt kdf) {
    byte[] secret = passphrase.utf8();
    try {
      return SCrypt.generate(secret, kdf.salt(), kdf.n(), kdf.r(), kdf.p(), KEY_SIZE);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }
}
