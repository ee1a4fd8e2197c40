package dev.handshake.identity;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A passphrase that protects a key file. It holds its characters in a {@code char[]} that {@link
 * #wipe()} (or {@link #close()}) overwrites; its UTF-8 bytes, which the key derivation needs, are
 * produced only inside this package and zeroed right after use. {@link #toString()} never shows it.
 *
 * <pre>{@code
 * try (Passphrase passphrase = Passphrase.wrap(System.console().readPassword("Passphrase: "))) {
 *   LoadedKey loaded = KeyFiles.load(file, PassphraseSource.of(passphrase));
 * }
 * }</pre>
 */
public final class Passphrase implements AutoCloseable {
  private final char[] chars;
  private boolean wiped;

  private Passphrase(char[] chars) {
    this.chars = chars;
  }

  /**
   * Takes ownership of {@code chars} without copying them, so that {@link #wipe()} also erases the
   * caller's array (for example the one {@code Console.readPassword} returned).
   */
  public static Passphrase wrap(char[] chars) {
    return new Passphrase(chars);
  }

  /**
   * A passphrase with the characters of {@code text}. The source (a {@code String} from an
   * environment variable, say) cannot be erased; only this copy can.
   */
  public static Passphrase copyOf(CharSequence text) {
    char[] copy = new char[text.length()];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = text.charAt(i);
    }
    return new Passphrase(copy);
  }

  public boolean isEmpty() {
    checkNotWiped();
    return chars.length == 0;
  }

  /** Whether both passphrases have the same characters, compared in constant time. */
  public boolean sameAs(Passphrase other) {
    checkNotWiped();
    other.checkNotWiped();
    byte[] mine = utf8();
    byte[] theirs = other.utf8();
    try {
      return MessageDigest.isEqual(mine, theirs);
    } finally {
      Arrays.fill(mine, (byte) 0);
      Arrays.fill(theirs, (byte) 0);
    }
  }

  /** Overwrites the characters; the passphrase cannot be used afterwards. */
  public void wipe() {
    Arrays.fill(chars, '\0');
    wiped = true;
  }

  /** Same as {@link #wipe()}. */
  @Override
  public void close() {
    wipe();
  }

  public boolean isWiped() {
    return wiped;
  }

  /**
   * The UTF-8 encoding, as Python's {@code passphrase.encode("utf-8")} gives it. The caller owns
   * the array and must zero it. Unpaired surrogates cannot be encoded and are refused.
   */
  byte[] utf8() {
    checkNotWiped();
    CharsetEncoder encoder =
        StandardCharsets.UTF_8
            .newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    // Sized for the worst case so that the encoder never grows (and abandons) a buffer.
    byte[] work = new byte[chars.length * (int) encoder.maxBytesPerChar()];
    ByteBuffer buffer = ByteBuffer.wrap(work);
    try {
      CoderResult result = encoder.encode(CharBuffer.wrap(chars), buffer, true);
      if (!result.isUnderflow()) {
        result.throwException();
      }
      result = encoder.flush(buffer);
      if (!result.isUnderflow()) {
        result.throwException();
      }
      return Arrays.copyOf(work, buffer.position());
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("the passphrase is not valid Unicode text", e);
    } finally {
      Arrays.fill(work, (byte) 0);
    }
  }

  private void checkNotWiped() {
    if (wiped) {
      throw new IllegalStateException("the passphrase was wiped");
    }
  }

  @Override
  public String toString() {
    return "Passphrase[redacted]";
  }
}
