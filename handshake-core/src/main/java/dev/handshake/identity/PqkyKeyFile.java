package dev.handshake.identity;

import dev.handshake.crypto.Ed25519PrivateKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The reference's encrypted key file {@code private.key.enc} (aiss.md §2.1), exactly 97 bytes:
 *
 * <pre>
 * offset size
 *      0    4  magic "PQKY"
 *      4    1  version 0x01
 *      5   32  scrypt salt
 *     37   12  AES-GCM nonce
 *     49   48  AES-256-GCM ciphertext of the 32-byte seed, then the 16-byte tag
 * </pre>
 *
 * The AES key is scrypt(UTF-8 passphrase, salt, N, r = 8, p = 1, 32 bytes); there is no AAD. N is
 * not stored: the reference uses 2^17 unless {@code PIQRYPT_SCRYPT_N} says otherwise, so a reader
 * must be told N (our library never reads the variable itself; the CLI passes it in).
 */
final class PqkyKeyFile {
  static final int SIZE = 97;
  static final byte VERSION = 0x01;
  static final int R = 8;
  static final int P = 1;
  private static final byte[] MAGIC = "PQKY".getBytes(StandardCharsets.US_ASCII);
  private static final int SALT_AT = 5;
  private static final int NONCE_AT = SALT_AT + SeedCipher.SALT_SIZE;
  private static final int SEALED_AT = NONCE_AT + SeedCipher.NONCE_SIZE;
  private static final byte[] NO_AAD = new byte[0];

  private PqkyKeyFile() {}

  /** Whether {@code bytes} start with the PQKY magic, whatever their size. */
  static boolean hasMagic(byte[] bytes) {
    return bytes.length >= MAGIC.length
        && Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
  }

  static byte[] encode(Ed25519PrivateKey key, Passphrase passphrase, KeyProtection protection) {
    if (protection.scryptR() != R || protection.scryptP() != P) {
      throw new IllegalArgumentException("PQKY files always use scrypt r = 8 and p = 1");
    }
    byte[] salt = new byte[SeedCipher.SALT_SIZE];
    byte[] nonce = new byte[SeedCipher.NONCE_SIZE];
    protection.random().nextBytes(salt);
    protection.random().nextBytes(nonce);
    byte[] sealed =
        SeedCipher.seal(
            key,
            passphrase,
            new SeedCipher.Scrypt(protection.scryptN(), R, P, salt),
            nonce,
            NO_AAD);
    byte[] out = new byte[SIZE];
    System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
    out[MAGIC.length] = VERSION;
    System.arraycopy(salt, 0, out, SALT_AT, salt.length);
    System.arraycopy(nonce, 0, out, NONCE_AT, nonce.length);
    System.arraycopy(sealed, 0, out, SEALED_AT, sealed.length);
    return out;
  }

  /** Checks size, magic and version without decrypting. */
  static void checkStructure(byte[] bytes) throws KeyFileException {
    if (bytes.length != SIZE) {
      throw KeyFileException.corrupt(
          "a PQKY file has " + SIZE + " bytes, this one has " + bytes.length);
    }
    if (!hasMagic(bytes)) {
      throw KeyFileException.corrupt("bad magic (expected PQKY)");
    }
    if (bytes[MAGIC.length] != VERSION) {
      throw KeyFileException.corrupt(
          "unsupported PQKY version " + (bytes[MAGIC.length] & 0xff) + " (expected 1)");
    }
  }

  static Ed25519PrivateKey decode(byte[] bytes, Passphrase passphrase, int scryptN)
      throws KeyFileException {
    checkStructure(bytes);
    String problem = KeyProtection.checkScrypt(scryptN, R, P);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    byte[] salt = Arrays.copyOfRange(bytes, SALT_AT, NONCE_AT);
    byte[] nonce = Arrays.copyOfRange(bytes, NONCE_AT, SEALED_AT);
    byte[] sealed = Arrays.copyOfRange(bytes, SEALED_AT, SIZE);
    return SeedCipher.open(
        sealed, passphrase, new SeedCipher.Scrypt(scryptN, R, P, salt), nonce, NO_AAD);
  }
}
