package dev.handshake.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Token lookup and the order of checks: hpp.md §2.2 and checklist items 3, 4, 5. */
public abstract class AuthConformance extends HppConformanceBase {

  @BothProfiles
  @DisplayName("4.3 [both] X-Handshake-Token is accepted in any header-name case")
  void headerNameCaseInsensitive(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.defaultSession();
    for (String name : new String[] {"X-Handshake-Token", "x-handshake-token", "X-HANDSHAKE-TOKEN", "x-HandShake-tOKEN"}) {
      HttpReply r = s.request("GET", s.path("context", b.sid())).header(name, b.token()).send();
      assertThat(r.status()).as("header %s: %s", name, r).isEqualTo(200);
    }
  }

  @BothProfiles
  @DisplayName("4.3 [both] a non-empty wrong header wins over a correct ?token= → 403")
  void headerPrecedence(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.defaultSession();
    HttpReply r =
        s.request("GET", s.path("context", b.sid()) + "?token=" + b.token())
            .token("wrong-" + b.token())
            .send();
    assertError(r, 403, "invalid token");
  }

  @Test
  @DisplayName("4.4 [ref] ?token= is accepted on HTTP without a header; an empty header falls back to it")
  void queryTokenInReference() {
    HppServer s = start(Profile.REFERENCE);
    BrowserSession b = HppServer.session(s.createWithoutOrigin("{}"));
    String q = "?token=" + b.token();
    assertThat(s.request("GET", s.path("context", b.sid()) + q).send().status())
        .as("context with ?token=").isEqualTo(200);
    assertThat(s.request("GET", s.path("diff", b.sid()) + q).send().status())
        .as("diff with ?token=").isEqualTo(200);
    assertThat(s.request("POST", s.path("action", b.sid()) + q).body("{\"actions\":[]}").send().status())
        .as("action with ?token=").isEqualTo(200);
    HttpReply empty =
        s.request("GET", s.path("context", b.sid()) + q).header("X-Handshake-Token", "").send();
    assertThat(empty.status()).as("empty header falls back to the query: %s", empty).isEqualTo(200);
  }

  @Test
  @DisplayName("4.4 [ref] the query token is URL-decoded")
  void queryTokenDecodedInReference() {
    HppServer s = start(Profile.REFERENCE);
    BrowserSession b = HppServer.session(s.createWithoutOrigin("{}"));
    String escaped = "%" + String.format("%02X", (int) b.token().charAt(0)) + b.token().substring(1);
    HttpReply r = s.request("GET", s.path("context", b.sid()) + "?a=1&token=" + escaped).send();
    assertThat(r.status()).as("percent-encoded ?token= on HTTP: %s", r).isEqualTo(200);
  }

  @Test
  @DisplayName("4.4 [ours] ?token= on HTTP → 403 invalid token (also with an empty header)")
  void queryTokenRefusedByDefault() {
    HppServer s = start(Profile.DEFAULT);
    BrowserSession b = s.defaultSession();
    String q = "?token=" + b.token();
    assertError(s.request("GET", s.path("context", b.sid()) + q).send(), 403, "invalid token");
    assertError(s.request("GET", s.path("diff", b.sid()) + q).send(), 403, "invalid token");
    assertError(
        s.request("POST", s.path("action", b.sid()) + q).body("{\"actions\":[]}").send(),
        403,
        "invalid token");
    assertError(
        s.request("GET", s.path("context", b.sid()) + q).header("X-Handshake-Token", "").send(),
        403,
        "invalid token");
  }

  @BothProfiles
  @DisplayName("4.5 [both] a missing or wrong token → 403 invalid token on every token endpoint")
  void missingOrWrongToken(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.defaultSession();
    String sid = b.sid();
    String p = s.config().prefix();
    for (String token : new String[] {null, "nope", b.token() + "x", b.token().toUpperCase()}) {
      if (token != null && token.equals(b.token())) {
        continue;
      }
      HppHttp.Request[] calls = {
        s.request("GET", p + "/context/" + sid),
        s.request("GET", p + "/diff/" + sid),
        s.request("POST", p + "/action/" + sid).body("{\"actions\":[{\"key\":\"a\",\"value\":1}]}"),
        s.request("POST", p + "/session/" + sid + "/extend").body("{}"),
        s.request("GET", p + "/prompt/" + sid),
        s.request("DELETE", p + "/session/" + sid),
      };
      for (HppHttp.Request call : calls) {
        if (token != null) {
          call.token(token);
        }
        assertError(call.send(), 403, "invalid token");
      }
      // stay under the default profile's 10 failed attempts per minute (checklist item 22)
      advance(java.time.Duration.ofSeconds(61));
    }
    assertThat(s.contextOk(b).get("data")).as("no rejected call wrote anything").isEqualTo(json("{}"));
  }

  @BothProfiles
  @DisplayName("4.5 [both] Authorization: Bearer is not a way to send the token → 403")
  void bearerNotSupported(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.defaultSession();
    HttpReply r =
        s.request("GET", s.path("context", b.sid())).header("Authorization", "Bearer " + b.token()).send();
    assertError(r, 403, "invalid token");
  }

  @BothProfiles
  @DisplayName("4.5 [both] an unknown sid → 404 session not found or expired on every sid endpoint")
  void unknownSid(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.defaultSession();
    String sid = "0123456789abcdef0123456789abcdef";
    String p = s.config().prefix();
    HppHttp.Request[] calls = {
      s.request("GET", p + "/context/" + sid),
      s.request("GET", p + "/diff/" + sid),
      s.request("POST", p + "/action/" + sid).body("{\"actions\":[]}"),
      s.request("POST", p + "/notify/" + sid).header("Origin", s.origin()).body("{\"key\":\"a\"}"),
      s.request("POST", p + "/session/" + sid + "/extend").body("{}"),
      s.request("GET", p + "/prompt/" + sid),
      s.request("DELETE", p + "/session/" + sid),
    };
    for (HppHttp.Request call : calls) {
      assertError(call.token(b.token()).send(), 404, "session not found or expired");
    }
  }

  @BothProfiles
  @DisplayName("4.5 [both] check order is 404 → 403 → 429")
  void checkOrder(Profile profile) {
    HppServer s = start(profile.builder().rateLimitPerMinute(2).build());
    BrowserSession b = s.defaultSession();
    assertThat(s.context(b).status()).isEqualTo(200);
    assertThat(s.diff(b, "").status()).isEqualTo(200);
    assertError(s.context(b), 429, "rate limit exceeded");
    HttpReply wrongToken = s.request("GET", s.path("context", b.sid())).token("nope").send();
    assertError(wrongToken, 403, "invalid token");
    HttpReply unknown =
        s.request("GET", s.path("context", "ffffffffffffffffffffffffffffffff")).token("nope").send();
    assertError(unknown, 404, "session not found or expired");
  }
}
