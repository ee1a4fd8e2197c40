package dev.handshake.identity;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where {@link KeyFiles} gets a passphrase when, and only when, a key file needs one: an encrypted
 * file being decrypted. Reading the public part of our own format, or a plaintext file, never calls
 * it, so {@code handshake id show} does not prompt for those.
 *
 * <p>The source owns the passphrases it returns: {@link KeyFiles} never wipes them, so a source may
 * cache one passphrase and hand it out several times, and wipes it when it is done.
 */
@FunctionalInterface
public interface PassphraseSource {
  /**
   * The passphrase for {@code file}, which is in {@code format}.
   *
   * @throws IOException when no passphrase can be obtained (no terminal, variable unset, …)
   */
  Passphrase passphraseFor(Path file, KeyFormat format) throws IOException;

  /** Always answers {@code passphrase}. */
  static PassphraseSource of(Passphrase passphrase) {
    return (file, format) -> passphrase;
  }

  /** For callers that have no passphrase: encrypted formats fail with a clear message. */
  static PassphraseSource none() {
    return (file, format) -> {
      throw new IOException(file + " is encrypted (" + format.id() + ") and needs a passphrase");
    };
  }
}
