package dev.handshake.identity;

import dev.handshake.crypto.Ed25519PrivateKey;

/**
 * A private key read from a file, with the format it was in, so that callers can warn about a
 * plaintext file and offer to re-encrypt it ({@code handshake id import}).
 */
public record LoadedKey(Ed25519PrivateKey key, KeyFormat format) {
  /** Whether the file held the seed unencrypted. */
  public boolean plaintext() {
    return !format.encrypted();
  }
}
