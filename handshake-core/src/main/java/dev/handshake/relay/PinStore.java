package dev.handshake.relay;

import dev.handshake.crypto.Ed25519PublicKey;

/**
 * Permanent {@code src → public key} bindings for {@link IdentityMode#PINNED} (keep.md §3 item
 * 1). Implementations are thread-safe and make {@link #pinIfAbsent} atomic.
 */
public interface PinStore {
  /**
   * Binds {@code src} to {@code key} unless it is bound already, and returns the key {@code src}
   * is bound to afterwards (the caller compares it with the key that signed).
   */
  Ed25519PublicKey pinIfAbsent(String src, Ed25519PublicKey key);
}
