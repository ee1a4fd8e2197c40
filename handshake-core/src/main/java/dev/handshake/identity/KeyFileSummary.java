package dev.handshake.identity;

import dev.handshake.crypto.Ed25519PublicKey;
import java.util.Optional;

/**
 * What a key file says about its identity without exposing the private key: the format, the public
 * key and, for our format, the label. For our format the public key is read from the file without
 * the passphrase and is therefore not yet authenticated; loading the key checks it.
 */
public record KeyFileSummary(KeyFormat format, Ed25519PublicKey publicKey, Optional<String> label) {
  /** Whether the file held the seed unencrypted. */
  public boolean plaintext() {
    return !format.encrypted();
  }
}
