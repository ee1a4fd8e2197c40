package dev.handshake.pairing;

/**
 * Where server nodes that share pairing state keep the {@link PepperFingerprint} of the first
 * node's {@link Pepper}, so that a node started with another pepper is refused at start-up (issue
 * 7) instead of silently failing to find every code and token the others stored. Implementations:
 * {@link InMemoryPepperFingerprintStore} (tests), {@code RedisPepperFingerprintStore}, {@code
 * PostgresPepperFingerprintStore}; the embedded SQLite default serves one node and needs none.
 *
 * <p>Only the fingerprint is stored, never the pepper. The store never replaces a stored
 * fingerprint: changing a deployment's pepper invalidates every stored code and token, and is an
 * operator's deliberate act (empty the pairing store, then delete the fingerprint).
 */
public interface PepperFingerprintStore {

  /**
   * Stores {@code ours} when no fingerprint is stored yet, and answers the stored one: {@code ours}
   * for the first node, the first node's for every later one. Atomic across nodes: of any number
   * of nodes claiming on an empty store at once, all answers name the same fingerprint.
   *
   * @throws java.io.UncheckedIOException when the store cannot be reached ({@link
   *     dev.handshake.store.StoreUnavailableException}) or fails
   * @throws IllegalStateException when the store holds something that is not a fingerprint
   */
  PepperFingerprint claim(PepperFingerprint ours);
}
