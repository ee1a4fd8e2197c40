package dev.handshake.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.session.SessionConfig;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** {@code POST {prefix}/session}: hpp.md §2.3.1 and checklist items 1, 2, 31 (origin), 32. */
public abstract class CreateConformance extends HppConformanceBase {

  @BothProfiles
  @DisplayName("4.1 [both] create returns exactly the 8 keys, a 32-hex sid, a 32-char token, relative URLs and the ttl")
  void createResponseShape(Profile profile) {
    HppServer s = start(profile);
    HttpReply r = s.create("{}");
    assertThat(r.status()).as("create status: %s", r).isEqualTo(200);
    assertJson(r);
    ObjectNode o = r.object();
    assertThat(keys(o))
        .as("create response keys")
        .containsExactlyInAnyOrder(
            "sessionId", "token", "wsUrl", "contextUrl", "actionUrl", "diffUrl", "notifyUrl",
            "expiresIn");
    String sid = o.get("sessionId").asString();
    assertThat(sid).as("sessionId is 128 bits of lowercase hex").matches("^[0-9a-f]{32}$");
    assertThat(o.get("token").asString()).as("token").matches("^[A-Za-z0-9_-]{32}$");
    assertThat(o.get("wsUrl").asString()).isEqualTo("/ws/handshake/" + sid);
    assertThat(o.get("contextUrl").asString()).isEqualTo("/handshake/context/" + sid);
    assertThat(o.get("actionUrl").asString()).isEqualTo("/handshake/action/" + sid);
    assertThat(o.get("diffUrl").asString()).isEqualTo("/handshake/diff/" + sid);
    assertThat(o.get("notifyUrl").asString()).isEqualTo("/handshake/notify/" + sid);
    assertThat(o.get("expiresIn").isIntegralNumber()).as("expiresIn is an integer").isTrue();
    assertThat(o.get("expiresIn").asLong()).as("expiresIn = configured ttl").isEqualTo(1800);
  }

  @BothProfiles
  @DisplayName("4.1 [both] URLs follow the configured prefixes (trailing slash stripped) and expiresIn the configured ttl")
  void createHonoursPrefixesAndTtl(Profile profile) {
    SessionConfig c =
        profile.builder().prefix("/api/hpp/").wsPrefix("/live/hpp/").ttl(Duration.ofSeconds(120)).build();
    HppServer s = start(c);
    BrowserSession b = s.defaultSession();
    ObjectNode o = b.created();
    assertThat(o.get("wsUrl").asString()).isEqualTo("/live/hpp/" + b.sid());
    assertThat(o.get("contextUrl").asString()).isEqualTo("/api/hpp/context/" + b.sid());
    assertThat(o.get("actionUrl").asString()).isEqualTo("/api/hpp/action/" + b.sid());
    assertThat(o.get("diffUrl").asString()).isEqualTo("/api/hpp/diff/" + b.sid());
    assertThat(o.get("notifyUrl").asString()).isEqualTo("/api/hpp/notify/" + b.sid());
    assertThat(o.get("expiresIn").asLong()).isEqualTo(120);
    HttpReply ctx = s.request("GET", o.get("contextUrl").asString()).token(b.token()).send();
    assertThat(ctx.status()).as("the advertised contextUrl works: %s", ctx).isEqualTo(200);
    assertThat(s.request("GET", "/handshake/context/" + b.sid()).token(b.token()).send().status())
        .as("the default prefix is not served when another one is configured")
        .isEqualTo(404);
  }

  @BothProfiles
  @DisplayName("4.1 [both] every creation yields a fresh sid and token, and the reply is Cache-Control: no-store")
  void createIsFreshAndNotCached(Profile profile) {
    HppServer s = start(profile);
    Set<String> sids = new HashSet<>();
    Set<String> tokens = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      HttpReply r = s.create("{}");
      assertThat(r.header("Cache-Control").orElse(""))
          .as("a response carrying a token must not be cached")
          .containsIgnoringCase("no-store");
      BrowserSession b = HppServer.session(r);
      sids.add(b.sid());
      tokens.add(b.token());
    }
    assertThat(sids).as("distinct session ids").hasSize(20);
    assertThat(tokens).as("distinct tokens").hasSize(20);
  }

  @BothProfiles
  @DisplayName("4.2 [both] a non-JSON or empty create body creates a default-mode session")
  void nonJsonBodyCreatesDefaultSession(Profile profile) {
    HppServer s = start(profile);
    for (String body : new String[] {"", "not json at all", "{\"mode\":", "[]", "null", "false", "0", "\"\""}) {
      BrowserSession b = HppServer.session(s.create(body));
      ObjectNode ctx = s.contextOk(b);
      assertThat(ctx.get("mode").asString()).as("mode for body <%s>", body).isEqualTo("default");
      assertThat(ctx.get("data")).as("data for body <%s>", body).isEqualTo(json("{}"));
    }
  }

  @BothProfiles
  @DisplayName("4.2 [both] Content-Type is ignored: a JSON body sent as text/plain is still read")
  void contentTypeIgnored(Profile profile) {
    HppServer s = start(profile);
    HttpReply r =
        s.request("POST", "/handshake/session")
            .header("Origin", s.origin())
            .header("Content-Type", "text/plain")
            .body("{\"mode\":\"form-fill\",\"schema\":[{\"key\":\"a\"}]}")
            .send();
    BrowserSession b = HppServer.session(r);
    assertThat(s.contextOk(b).get("mode").asString()).isEqualTo("form-fill");
  }

  @BothProfiles
  @DisplayName("§2.3.1 [both] mode null selects the default handler and is echoed as null; unknown fields are ignored")
  void nullModeAndUnknownFields(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.createSession("{\"mode\":null,\"whatever\":[1,2],\"data\":{\"x\":1}}");
    ObjectNode ctx = s.contextOk(b);
    assertThat(ctx.get("mode").isNull()).as("mode echoed as null: %s", ctx).isTrue();
    assertThat(ctx.get("data")).isEqualTo(json("{\"x\":1}"));
  }

  @BothProfiles
  @DisplayName("§2.3.1 [both] a meta object passes through to context")
  void metaPassesThrough(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.createSession("{\"meta\":{\"page\":\"/expenses\",\"n\":[1,{\"a\":null}]}}");
    assertThat(s.contextOk(b).get("meta")).isEqualTo(json("{\"page\":\"/expenses\",\"n\":[1,{\"a\":null}]}"));
  }

  @Test
  @DisplayName("§2.3.1 [ref] an unknown mode falls back to the generic handler and is echoed exactly")
  void unknownModeFallsBackInReference() {
    HppServer s = start(Profile.REFERENCE);
    BrowserSession b = HppServer.session(s.createWithoutOrigin("{\"mode\":\"fill-form\",\"data\":{\"k\":1}}"));
    ObjectNode ctx = s.contextOk(b);
    assertThat(ctx.get("mode").asString()).isEqualTo("fill-form");
    assertThat(ctx.get("data")).isEqualTo(json("{\"k\":1}"));
  }

  @Test
  @DisplayName("§3.7 [ours] an unknown mode → 400 unsupported mode")
  void unknownModeRefusedByDefault() {
    HppServer s = start(Profile.DEFAULT);
    assertError(s.create("{\"mode\":\"fill-form\"}"), 400, "unsupported mode");
  }

  @Test
  @DisplayName("4.31 [ours] create from a disallowed Origin → 403; without Origin or Referer → 403")
  void createNeedsAllowedOrigin() {
    HppServer s = start(Profile.DEFAULT);
    HttpReply evil =
        s.request("POST", "/handshake/session").header("Origin", "https://evil.example").body("{}").send();
    assertThat(evil.status()).as("cross-origin create: %s", evil).isEqualTo(403);
    assertJson(evil);
    assertThat(evil.object().has("token")).as("no token leaks to a foreign origin").isFalse();
    HttpReply otherPort =
        s.request("POST", "/handshake/session").header("Origin", "http://127.0.0.1:1").body("{}").send();
    assertThat(otherPort.status()).as("another port is another origin: %s", otherPort).isEqualTo(403);
    HttpReply nullOrigin =
        s.request("POST", "/handshake/session").header("Origin", "null").body("{}").send();
    assertThat(nullOrigin.status()).as("Origin: null (sandboxed frame): %s", nullOrigin).isEqualTo(403);
    HttpReply none = s.createWithoutOrigin("{}");
    assertThat(none.status()).as("no Origin and no Referer: %s", none).isEqualTo(403);
    assertJson(none);
  }

  @Test
  @DisplayName("4.31 [ours] same-origin create is allowed by Origin or, without it, by Referer")
  void sameOriginByOriginOrReferer() {
    HppServer s = start(Profile.DEFAULT);
    assertThat(s.create("{}").status()).as("same Origin").isEqualTo(200);
    HttpReply byReferer =
        s.request("POST", "/handshake/session").header("Referer", s.origin() + "/form?x=1").body("{}").send();
    assertThat(byReferer.status()).as("same-origin Referer: %s", byReferer).isEqualTo(200);
    HttpReply foreignReferer =
        s.request("POST", "/handshake/session").header("Referer", "https://evil.example/x").body("{}").send();
    assertThat(foreignReferer.status()).as("foreign Referer: %s", foreignReferer).isEqualTo(403);
  }

  @Test
  @DisplayName("4.31 [ref] create without Origin is allowed in the reference profile")
  void referenceAllowsNoOrigin() {
    HppServer s = start(Profile.REFERENCE);
    assertThat(s.createWithoutOrigin("{}").status()).isEqualTo(200);
  }

  @Test
  @DisplayName("4.32 [ours] tokens never begin with '-' (nor '_') over many creations")
  void tokensNeverLookLikeOptions() {
    HppServer s = start(SessionConfig.defaults().toBuilder().createPerMinutePerAddress(0).build());
    for (int i = 0; i < 300; i++) {
      String token = s.createSession("{}").token();
      assertThat(token).as("token #%d", i).matches("^[A-Za-z0-9][A-Za-z0-9_-]{31}$");
    }
  }

  @Test
  @DisplayName("§3.6 [ours] the global cap on live sessions answers 429 with Retry-After")
  void liveSessionCap() {
    HppServer s = start(SessionConfig.defaults().toBuilder().maxLiveSessions(2).build());
    s.defaultSession();
    s.defaultSession();
    HttpReply third = s.create("{}");
    assertError(third, 429, "rate limit exceeded");
    retryAfter(third);
  }
}
