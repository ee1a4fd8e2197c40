package dev.handshake.pairing.http;

import dev.handshake.pairing.auth.AuthResult;
import dev.handshake.pairing.dpop.DpopConfig;
import dev.handshake.pairing.dpop.DpopVerifier;
import dev.handshake.session.HppResponse;
import java.util.Optional;

/**
 * The HTTP answer to a failed credential check, with its challenges: RFC 6750 §3 {@code Bearer}
 * (no error code when nothing was sent), and when DPoP is served, RFC 9449 §7.1 {@code DPoP
 * algs="…"} beside it, {@code invalid_dpop_proof} / {@code use_dpop_nonce} with a fresh {@code
 * DPoP-Nonce}. One place, so every route that authenticates answers alike.
 */
final class AuthChallenges {
  private AuthChallenges() {}

  /**
   * @param failure anything but {@link AuthResult.Authenticated}
   * @param noCredentials the message for a request that sent no credentials
   */
  static HppResponse refuse(AuthResult failure, String realm, Optional<DpopConfig> dpop,
      String noCredentials) {
    String bearer = "Bearer realm=\"" + realm + "\"";
    String dpopChallenge = dpop.map(c -> ", DPoP algs=\"" + c.algsText() + "\"").orElse("");
    return switch (failure) {
      case AuthResult.NoCredentials n -> PairingHttpApi.error(401, "unauthorized", noCredentials)
          .withHeader("WWW-Authenticate", bearer + dpopChallenge);
      case AuthResult.InvalidToken t -> PairingHttpApi.error(401, "invalid_token", t.description())
          .withHeader("WWW-Authenticate", bearer + ", error=\"invalid_token\"" + dpopChallenge);
      case AuthResult.InvalidRequest r -> PairingHttpApi.error(400, "invalid_request",
              r.description())
          .withHeader("WWW-Authenticate", bearer + ", error=\"invalid_request\"");
      case AuthResult.ProofRejected p when p.error().equals("temporarily_unavailable") ->
          PairingHttpApi.error(503, p.error(), p.description()).withHeader("Retry-After", "1");
      case AuthResult.ProofRejected p -> {
        HppResponse r = PairingHttpApi.error(401, p.error(), p.description())
            .withHeader("WWW-Authenticate", "DPoP algs=\"" + dpop.map(DpopConfig::algsText)
                .orElse("") + "\", error=\"" + p.error() + "\", error_description=\""
                + quoted(p.description()) + "\"");
        yield p.nonce().map(n -> r.withHeader(DpopVerifier.NONCE_HEADER, n)).orElse(r);
      }
      case AuthResult.Authenticated a ->
          throw new IllegalArgumentException("not a failure: " + a);
    };
  }

  /** {@code text} safe inside a quoted-string (RFC 9110 §5.6.4): no quotes, backslashes, controls. */
  private static String quoted(String text) {
    return text.replaceAll("[\"\\\\\\p{Cntrl}]", "'");
  }
}
