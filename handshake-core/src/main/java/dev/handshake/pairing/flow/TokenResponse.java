package dev.handshake.pairing.flow;

import dev.handshake.crypto.BearerSecret;
import java.time.Duration;
import java.util.Set;

/** The answer to one poll of the token endpoint (RFC 8628 §3.4–3.5, RFC 6749 §5.1). */
public sealed interface TokenResponse {
  /**
   * The owner approved: a bearer token, issued once per approval.
   *
   * @param accessToken shown to the client now and never again; stored only as an HMAC
   * @param tokenType {@value #BEARER}, or {@value #DPOP} when the token is bound to the poll's
   *     DPoP key
   * @param scope what the client asked for when the flow started
   */
  record TokenIssued(
      BearerSecret accessToken, String tokenType, Duration expiresIn, Set<String> scope)
      implements TokenResponse {
    public static final String BEARER = "Bearer";
    public static final String DPOP = "DPoP";

    public TokenIssued {
      scope = Set.copyOf(scope);
    }

    /** {@code scope} as the response carries it: sorted and space-separated. */
    public String scopeText() {
      return Scopes.join(scope);
    }
  }

  /**
   * No token.
   *
   * @param interval the interval the client must now keep between polls (grown after {@code
   *     slow_down}); the configured start interval when the device code is unknown
   */
  record Error(DeviceFlowError error, Duration interval) implements TokenResponse {}
}
