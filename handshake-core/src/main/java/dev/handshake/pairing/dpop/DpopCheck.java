package dev.handshake.pairing.dpop;

/**
 * The outcome of checking one {@code DPoP} proof (RFC 9449 §4.3). Failures carry the error code
 * an HTTP adapter answers with: {@code invalid_dpop_proof} (400 at the token endpoint, 401 at a
 * resource), {@code use_dpop_nonce} with a fresh {@code DPoP-Nonce}, or 503 when the replay
 * store is full.
 */
public sealed interface DpopCheck {
  /** The proof verified; its {@code jti} is now recorded. */
  record Valid(DpopProof proof) implements DpopCheck {}

  /** The proof is malformed, forged, stale, replayed or made for another request. */
  record Invalid(String description) implements DpopCheck {
    public static final String ERROR = "invalid_dpop_proof";
  }

  /** The server demands a nonce the proof lacks (or carries a stale one): retry with it. */
  record NonceRequired(String nonce, String description) implements DpopCheck {
    public static final String ERROR = "use_dpop_nonce";

    @Override
    public String toString() {
      return "NonceRequired[" + description + "]";
    }
  }

  /** The replay store holds its maximum of unexpired proofs; nothing was recorded. */
  record Unavailable(String description) implements DpopCheck {}
}
