package dev.handshake.pairing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server's secret key for hashing codes and tokens at rest and for signing callbacks
 * (pairing.md §3.2 rules 2 and 9): 32 random bytes, kept in an owner-only file that the server
 * and the CLI share. A file that exists but cannot be read, has the wrong size or wider
 * permissions than the owner's is refused rather than replaced: a new pepper would silently
 * invalidate every stored code (PraisonAI #3779).
 */
public final class Pepper {
  /** Bytes of key material. */
  public static final int SIZE = 32;
  private static final String HMAC = "HmacSHA256";
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final SecretKeySpec key;

  private Pepper(byte[] raw) {
    if (raw.length != SIZE) {
      throw new IllegalArgumentException("a pepper is " + SIZE + " bytes, got " + raw.length);
    }
    this.key = new SecretKeySpec(raw.clone(), HMAC);
  }

  /** A pepper from known bytes (tests, key management systems). */
  public static Pepper of(byte[] raw) {
    return new Pepper(raw);
  }

  /** A fresh random pepper held only in memory. */
  public static Pepper random(SecureRandom random) {
    byte[] raw = new byte[SIZE];
    random.nextBytes(raw);
    return new Pepper(raw);
  }

  /**
   * Reads the pepper in {@code file} (64 hex characters), or creates it exclusively with {@code
   * 0600} permissions when it does not exist; when two processes create it at once, the loser
   * reads the winner's.
   *
   * @throws IOException when the file cannot be created or read, is not 64 hex characters, or is
   *     readable by anyone but its owner
   */
  public static Pepper loadOrCreate(Path file, SecureRandom random) throws IOException {
    if (!Files.exists(file)) {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      byte[] raw = new byte[SIZE];
      random.nextBytes(raw);
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Path temp = Files.createTempFile(dir, ".pepper", ".tmp",
            PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Files.writeString(temp, HexFormat.of().formatHex(raw) + "\n", StandardCharsets.US_ASCII,
            StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return new Pepper(raw);
      } catch (FileAlreadyExistsException raced) {
        waitForContent(file);
      }
    }
    return read(file);
  }

  private static void waitForContent(Path file) throws IOException {
    for (int i = 0; i < 50 && Files.size(file) == 0; i++) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for " + file, e);
      }
    }
  }

  private static Pepper read(Path file) throws IOException {
    Set<PosixFilePermission> perms;
    try {
      perms = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException e) {
      perms = OWNER_ONLY;
    }
    if (!OWNER_ONLY.containsAll(perms)) {
      throw new IOException("pepper file " + file + " is readable by others ("
          + PosixFilePermissions.toString(perms) + "); make it 0600 (chmod 600)");
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    if (text.length() != SIZE * 2 || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new IOException("pepper file " + file + " does not hold " + SIZE * 2
          + " hex characters; refusing to replace it (stored codes and tokens depend on it)");
    }
    return new Pepper(HexFormat.of().parseHex(text));
  }

  /** HMAC-SHA256 of {@code text} (UTF-8) under this pepper, as 64 lower-case hex characters. */
  public String hash(String text) {
    return HexFormat.of().formatHex(mac(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** HMAC-SHA256 of {@code data} under this pepper. */
  public byte[] mac(byte[] data) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(key);
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** A pepper for another purpose, derived so that one purpose's MACs never verify for another. */
  public Pepper derive(String purpose) {
    return new Pepper(mac(("handshake-pepper:" + purpose).getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public String toString() {
    return "Pepper[redacted]";
  }
}
