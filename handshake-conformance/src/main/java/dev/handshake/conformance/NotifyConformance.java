package dev.handshake.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.session.SessionHooks;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code POST {prefix}/notify/<sid>} and ownership: hpp.md §2.3.4, §2.7, checklist 14–16. */
public abstract class NotifyConformance extends HppConformanceBase {

  static final String SCHEMA =
      "[{\"key\":\"a\"},{\"key\":\"b\"},{\"key\":\"c\",\"required\":true},{\"key\":\"d\"}]";

  static String set(String key, String valueJson) {
    return "{\"intervalMs\":0,\"actions\":[{\"type\":\"set\",\"key\":\"" + key + "\",\"value\":" + valueJson + "}]}";
  }

  static String by(HppServer s, BrowserSession b, String key) {
    return s.contextOk(b).get("context").get(key).get("by").asString();
  }

  @BothProfiles
  @DisplayName("4.14 [both] ownership: user edit on ai → user_edit, on empty → user, on user_edit → user; AI writes to them are rejected")
  void ownershipRules(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.formFill(SCHEMA, "{\"d\":null}");
    assertThat(strings(s.actionOk(b, set("a", "\"ai-1\"")).get("applied"))).containsExactly("a");
    assertThat(by(s, b, "a")).isEqualTo("ai");
    assertThat(strings(s.actionOk(b, set("a", "\"ai-2\"")).get("applied")))
        .as("the AI may overwrite its own write").containsExactly("a");

    s.notifyOk(b, "{\"key\":\"a\",\"value\":\"mine\"}");
    assertThat(by(s, b, "a")).as("user edit of an ai field").isEqualTo("user_edit");
    ObjectNode r = s.actionOk(b, set("a", "\"ai-3\""));
    assertThat(strings(r.get("rejected"))).as("AI write to a user_edit field").containsExactly("a");
    assertThat(strings(r.get("applied"))).isEmpty();
    assertThat(s.contextOk(b).get("context").get("a").get("value").asString()).isEqualTo("mine");

    s.notifyOk(b, "{\"key\":\"a\",\"value\":\"mine again\"}");
    assertThat(by(s, b, "a")).as("user edit of a user_edit field").isEqualTo("user");

    s.notifyOk(b, "{\"key\":\"d\",\"value\":\"typed\"}");
    assertThat(by(s, b, "d")).as("user edit of an empty field").isEqualTo("user");
    s.notifyOk(b, "{\"key\":\"b\",\"value\":1}");
    assertThat(by(s, b, "b")).as("user edit of a never-set field").isEqualTo("user");
    ObjectNode r2 = s.actionOk(b, "{\"intervalMs\":0,\"actions\":[{\"type\":\"set\",\"key\":\"b\",\"value\":\"2\"},"
        + "{\"type\":\"set\",\"key\":\"d\",\"value\":\"x\"},{\"type\":\"set\",\"key\":\"a\",\"value\":\"x\"}]}");
    assertThat(strings(r2.get("rejected"))).as("every user-owned field is locked").containsExactly("b", "d", "a");
    assertThat(r2.get("errors")).as("a lock is a plain rejection").isEqualTo(json("[]"));
  }

  @BothProfiles
  @DisplayName("4.14 [both] a user writing \"\" locks the field, which stays in missing")
  void emptyUserWriteLocks(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.formFill(SCHEMA, "{}");
    s.notifyOk(b, "{\"key\":\"c\",\"value\":\"\"}");
    JsonNode c = s.contextOk(b).get("context").get("c");
    assertThat(c.get("by").asString()).isEqualTo("user");
    assertThat(strings(s.contextOk(b).get("missing"))).containsExactly("c");
    ObjectNode r = s.actionOk(b, set("c", "\"filled\""));
    assertThat(strings(r.get("rejected"))).containsExactly("c");
    assertThat(strings(r.get("missing"))).as("still missing after the refused write").containsExactly("c");
  }

  @BothProfiles
  @DisplayName("4.14 [both] default mode has no lock: the agent overwrites user edits")
  void defaultModeNoLock(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.defaultSession();
    s.notifyOk(b, "{\"key\":\"k\",\"value\":\"user\"}");
    ObjectNode r = s.actionOk(b, "{\"actions\":[{\"key\":\"k\",\"value\":\"agent\"}]}");
    assertThat(strings(r.get("applied"))).containsExactly("k");
    assertThat(s.contextOk(b).get("data")).isEqualTo(json("{\"k\":\"agent\"}"));
  }

  @BothProfiles
  @DisplayName("4.15 [both] notify answers exactly {\"ok\":true}, even when nothing changed; an absent value means null")
  void notifyAnswer(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.defaultSession();
    for (int i = 0; i < 2; i++) {
      HttpReply r = s.notify(b, "{\"key\":\"k\",\"value\":\"same\"}");
      assertThat(r.status()).isEqualTo(200);
      assertJson(r);
      assertThat(r.json()).isEqualTo(json("{\"ok\":true}"));
    }
    s.notifyOk(b, "{\"key\":\"n\"}");
    assertThat(s.contextOk(b).get("data")).isEqualTo(json("{\"k\":\"same\",\"n\":null}"));
  }

  @BothProfiles
  @DisplayName("4.15 [both] notify with a missing or null key → 400 key is required")
  void notifyNeedsKey(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.defaultSession();
    assertError(s.notify(b, "{\"value\":1}"), 400, "key is required");
    assertError(s.notify(b, "{\"key\":null,\"value\":1}"), 400, "key is required");
    assertError(s.notify(b, ""), 400, "key is required");
    assertThat(s.contextOk(b).get("data")).isEqualTo(json("{}"));
  }

  @BothProfiles
  @DisplayName("4.15 [both] notify is not rate-limited and does not use the agent's quota")
  void notifyNotRateLimited(Profile profile) {
    HppServer s = start(profile.builder().rateLimitPerMinute(2).build());
    BrowserSession b = s.defaultSession();
    for (int i = 0; i < 15; i++) {
      assertThat(s.notify(b, "{\"key\":\"k\",\"value\":" + i + "}").status()).as("notify #%d", i).isEqualTo(200);
    }
    assertThat(s.context(b).status()).isEqualTo(200);
    assertThat(s.context(b).status()).isEqualTo(200);
    assertThat(s.context(b).status()).as("the agent's quota of 2 is intact, then spent").isEqualTo(429);
  }

  @Test
  @DisplayName("4.16 [ref] notify needs no credentials (no cookie, no Origin)")
  void referenceNotifyOpen() {
    HppServer s = start(Profile.REFERENCE);
    BrowserSession b = HppServer.session(s.createWithoutOrigin("{}"));
    HttpReply r = s.request("POST", s.path("notify", b.sid())).body("{\"key\":\"k\",\"value\":1}").send();
    assertThat(r.status()).as("anonymous notify: %s", r).isEqualTo(200);
    assertThat(s.contextOk(b).get("data")).isEqualTo(json("{\"k\":1}"));
  }

  @Test
  @DisplayName("4.16 [ours] notify without the browser-binding cookie → 403 browser auth failed")
  void notifyNeedsBinding() {
    HppServer s = start(Profile.DEFAULT);
    BrowserSession b = s.defaultSession();
    BrowserSession other = s.defaultSession();
    assertThat(b.bindingCookie()).as("create sets the hs_bind cookie").isPresent();
    String path = s.path("notify", b.sid());
    String body = "{\"key\":\"k\",\"value\":1}";
    assertError(s.request("POST", path).header("Origin", s.origin()).body(body).send(), 403, "browser auth failed");
    assertError(
        s.request("POST", path).header("Origin", s.origin()).header("Cookie", "hs_bind=forged").body(body).send(),
        403, "browser auth failed");
    assertError(
        s.request("POST", path).header("Origin", s.origin()).header("Cookie", other.cookieHeader().orElseThrow()).body(body).send(),
        403, "browser auth failed");
    assertError(
        s.request("POST", path).header("Origin", "https://evil.example").header("Cookie", b.cookieHeader().orElseThrow()).body(body).send(),
        403, "browser auth failed");
    assertError(
        s.request("POST", path).header("Origin", s.origin()).token(b.token()).body(body).send(),
        403, "browser auth failed");
    assertThat(s.contextOk(b).get("data")).as("no refused notify wrote anything").isEqualTo(json("{}"));
    HttpReply ok =
        s.request("POST", path).header("Origin", s.origin())
            .header("Cookie", "theme=dark; " + b.cookieHeader().orElseThrow() + "; x=1").body(body).send();
    assertThat(ok.status()).as("the binding cookie among others: %s", ok).isEqualTo(200);
  }

  @Test
  @DisplayName("4.16 [ours] notify with the binding cookie but no Origin → 403 browser auth failed")
  void notifyNeedsOrigin() {
    HppServer s = start(Profile.DEFAULT);
    BrowserSession b = s.defaultSession();
    HttpReply r = s.request("POST", s.path("notify", b.sid()))
        .header("Cookie", b.cookieHeader().orElseThrow()).body("{\"key\":\"k\",\"value\":1}").send();
    assertError(r, 403, "browser auth failed");
  }

  @Test
  @DisplayName("4.16 [ours] the binding cookie is HttpOnly, SameSite=Strict, Secure and scoped to this session's notify path")
  void bindingCookieAttributes() {
    HppServer s = start(Profile.DEFAULT);
    BrowserSession b = s.defaultSession();
    String c = b.setCookie().orElseThrow();
    assertThat(c).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict").containsIgnoringCase("Secure");
    assertThat(c).contains("Path=/handshake/notify/" + b.sid());
    assertThat(b.bindingCookie().orElseThrow()).as("the cookie is not the agent token").isNotEqualTo(b.token()).isNotBlank();
  }

  @Test
  @DisplayName("4.16 [ours] notify with a non-string key → 400 key must be a string; unknown form-fill key → 400 unknown key")
  void notifyKeyChecks() {
    HppServer s = start(Profile.DEFAULT);
    BrowserSession d = s.defaultSession();
    assertError(s.notify(d, "{\"key\":7,\"value\":1}"), 400, "key must be a string");
    assertError(s.notify(d, "{\"key\":[1],\"value\":1}"), 400, "key must be a string");
    assertError(s.notify(d, "{\"key\":{\"a\":1}}"), 400, "key must be a string");
    BrowserSession f = s.formFill("[{\"key\":\"a\"}]", "{}");
    assertError(s.notify(f, "{\"key\":\"b\",\"value\":1}"), 400, "unknown key");
    s.notifyOk(f, "{\"key\":\"a\",\"value\":1}");
    assertThat(keys(s.contextOk(f).get("context"))).containsExactly("a");
    assertThat(s.contextOk(d).get("data")).as("no poisoning after bad keys").isEqualTo(json("{}"));
  }

  @BothProfiles
  @DisplayName("§2.3.4 [both] a require_browser_auth hook returning false → 403 browser auth failed")
  void browserAuthHook(Profile profile) {
    SessionHooks hooks =
        SessionHooks.builder().requireBrowserAuth((req, session) -> req.header("X-Page-User").isPresent()).build();
    HppServer s = start(profile.config(), hooks);
    BrowserSession b = s.defaultSession();
    assertError(s.notify(b, "{\"key\":\"k\"}"), 403, "browser auth failed");
    HppHttp.Request ok = s.request("POST", s.path("notify", b.sid())).header("Origin", s.origin()).header("X-Page-User", "ann");
    b.cookieHeader().ifPresent(c -> ok.header("Cookie", c));
    assertThat(ok.body("{\"key\":\"k\"}").send().status()).isEqualTo(200);
  }
}
