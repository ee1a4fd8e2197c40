package dev.handshake.pairing.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AuthProtocol} must do (pairing.md §3.2 rule 8, RFC 6750): header-only bearer
 * tokens, a bare challenge without credentials, invalid_token for unknown ones, invalid_request for
 * tokens in the query.
 */
abstract class AuthProtocolContract {
  /** The protocol under test. */
  abstract AuthProtocol protocol();

  /** A token the protocol accepts, and the principal id it maps to. */
  abstract String validToken();

  abstract String expectedPrincipalId();

  /** Makes {@link #validToken()} stop working (revoke, rotate); false if the protocol cannot. */
  abstract boolean invalidate();

  static AuthRequest request(Map<String, String> headers, String query) {
    return new AuthRequest(name -> headers.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst(),
        Optional.ofNullable(query), "127.0.0.1");
  }

  @Test
  void aValidBearerTokenAuthenticates() {
    AuthResult r = protocol().check(request(Map.of("Authorization", "Bearer " + validToken()), null));
    assertThat(r).isInstanceOfSatisfying(AuthResult.Authenticated.class,
        a -> assertThat(a.principal().id()).isEqualTo(expectedPrincipalId()));
    AuthResult lower = protocol().check(request(Map.of("authorization", "bearer " + validToken()), null));
    assertThat(lower).as("scheme and header name are case-insensitive").isInstanceOf(AuthResult.Authenticated.class);
  }

  @Test
  void noCredentialsIsABareChallenge() {
    assertThat(protocol().check(request(Map.of(), null))).isInstanceOf(AuthResult.NoCredentials.class);
    assertThat(protocol().check(request(Map.of("Authorization", "Basic dXNlcjpwYXNz"), null)))
        .isInstanceOf(AuthResult.NoCredentials.class);
  }

  @Test
  void anUnknownTokenIsInvalidToken() {
    assertThat(protocol().check(request(Map.of("Authorization", "Bearer " + "A".repeat(43)), null)))
        .isInstanceOf(AuthResult.InvalidToken.class);
    assertThat(protocol().check(request(Map.of("Authorization", "Bearer " + validToken() + "x"), null)))
        .isInstanceOf(AuthResult.InvalidToken.class);
  }

  @Test
  void item17_aTokenInTheQueryIsRefusedEvenWhenValid() {
    assertThat(protocol().check(request(Map.of(), "token=" + validToken())))
        .isInstanceOf(AuthResult.InvalidRequest.class);
    assertThat(protocol().check(request(Map.of("Authorization", "Bearer " + validToken()),
        "a=1&access_token=" + validToken()))).isInstanceOf(AuthResult.InvalidRequest.class);
  }

  @Test
  void aMalformedHeaderIsInvalidRequest() {
    assertThat(protocol().check(request(Map.of("Authorization", "Bearer"), null)))
        .isInstanceOf(AuthResult.InvalidRequest.class);
    assertThat(protocol().check(request(Map.of("Authorization", "Bearer a b"), null)))
        .isInstanceOf(AuthResult.InvalidRequest.class);
  }

  @Test
  void item13_anInvalidatedTokenStopsWorking() {
    if (invalidate()) {
      assertThat(protocol().check(request(Map.of("Authorization", "Bearer " + validToken()), null)))
          .isInstanceOf(AuthResult.InvalidToken.class);
    }
  }
}
