package dev.handshake.identity;

import java.io.IOException;

/**
 * A key file that cannot be used, and why. The message starts with {@code "corrupt key file: "} or
 * {@code "wrong passphrase"} as aiss.md §2.1 prescribes for the reference format.
 */
public final class KeyFileException extends IOException {
  /** Why a key file was refused. */
  public enum Reason {
    /** Wrong size, magic, version, format, field or parameters. */
    CORRUPT,
    /** The authentication tag did not verify: wrong (or empty) passphrase, or an altered file. */
    WRONG_PASSPHRASE,
    /** Group or others may read the file. */
    EXPOSED
  }

  private final Reason reason;

  private KeyFileException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  static KeyFileException corrupt(String detail) {
    return new KeyFileException(Reason.CORRUPT, "corrupt key file: " + detail);
  }

  static KeyFileException wrongPassphrase(String detail) {
    return new KeyFileException(Reason.WRONG_PASSPHRASE, "wrong passphrase" + detail);
  }

  static KeyFileException exposed(String message) {
    return new KeyFileException(Reason.EXPOSED, message);
  }

  public Reason reason() {
    return reason;
  }
}
