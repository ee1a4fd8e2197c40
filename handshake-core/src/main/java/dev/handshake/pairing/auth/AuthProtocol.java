package dev.handshake.pairing.auth;

/**
 * Decides who a request comes from (PraisonAI's {@code AuthProtocol.check(request)}, which returns
 * {@code success}, {@code user_id}, {@code role} and {@code metadata}): {@link
 * AuthResult.Authenticated} carries those as a {@link Principal}. Implementations read only the
 * {@code Authorization} header; a token in the URL query is refused (RFC 6750 §2.3, pairing.md
 * §3.2 rule 8) unless the adapter enabled {@code pairing.compat.queryToken}.
 */
@FunctionalInterface
public interface AuthProtocol {
  AuthResult check(AuthRequest request);

  /** The first protocol that recognises the token; otherwise the most specific failure. */
  static AuthProtocol firstOf(AuthProtocol... protocols) {
    return request -> {
      AuthResult failure = AuthResult.NO_CREDENTIALS;
      for (AuthProtocol p : protocols) {
        AuthResult r = p.check(request);
        if (r instanceof AuthResult.Authenticated || r instanceof AuthResult.InvalidRequest
            || r instanceof AuthResult.ProofRejected) {
          return r;
        }
        if (r instanceof AuthResult.InvalidToken) {
          failure = r;
        }
      }
      return failure;
    };
  }
}
