package dev.handshake.identity;

/** The key file formats {@link KeyFiles} recognises (docs/IDENTITY.md). */
public enum KeyFormat {
  /** Ours: JSON, public parts in clear, seed under scrypt and AES-256-GCM. Written by default. */
  HANDSHAKE_ENCRYPTED("handshake-key/2", true),
  /** The reference's 97-byte {@code private.key.enc} (aiss.md §2.1): scrypt and AES-256-GCM. */
  PIQRYPT_ENCRYPTED("pqky/1", true),
  /** The reference's unencrypted {@code private.key.json}; import only (aiss.md §3 item 13). */
  PIQRYPT_PLAINTEXT("piqrypt-plaintext", false),
  /** Our earlier unencrypted {@code handshake-ed25519/1} JSON; read only. */
  HANDSHAKE_PLAINTEXT("handshake-ed25519/1", false),
  /** A bare 64-character hex seed, as in RFC 8032 test vectors; read only. */
  HEX_SEED("hex-seed", false);

  private final String id;
  private final boolean encrypted;

  KeyFormat(String id, boolean encrypted) {
    this.id = id;
    this.encrypted = encrypted;
  }

  /** The short name shown to users and in {@code id show --json}. */
  public String id() {
    return id;
  }

  /** Whether the seed is encrypted at rest; plaintext formats deserve a warning. */
  public boolean encrypted() {
    return encrypted;
  }
}
