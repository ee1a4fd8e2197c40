package dev.handshake.pairing.auth;

/**
 * The outcome of checking a request's credentials, with the RFC 6750 §3 challenge an HTTP
 * adapter answers a failure with.
 */
public sealed interface AuthResult {
  record Authenticated(Principal principal) implements AuthResult {}

  /** No credentials at all: 401 with a bare {@code Bearer} challenge (no error code, §3.1). */
  record NoCredentials() implements AuthResult {}

  /** A token that is unknown, expired or revoked: 401 {@code invalid_token}. */
  record InvalidToken(String description) implements AuthResult {}

  /**
   * Credentials sent the wrong way (a token in the query, two schemes, a malformed header): 400
   * {@code invalid_request}.
   */
  record InvalidRequest(String description) implements AuthResult {}

  /**
   * A DPoP-bound token whose proof failed (RFC 9449 §7.1): 401 with a {@code DPoP} challenge
   * carrying {@code error} ({@code invalid_dpop_proof} or {@code use_dpop_nonce}, then with a
   * fresh {@code DPoP-Nonce}), or 503 when {@code error} is {@code temporarily_unavailable}.
   */
  record ProofRejected(String error, String description, java.util.Optional<String> nonce)
      implements AuthResult {}

  AuthResult NO_CREDENTIALS = new NoCredentials();
}
