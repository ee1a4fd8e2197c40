package dev.handshake.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Malformed input and routing errors are JSON 4xx and never poison a session: hpp.md §2.2, §3
 * item 8 and checklist item 30.
 */
public abstract class MalformedInputConformance extends HppConformanceBase {

  /** State a rejected request must not change: the context and the change log. */
  static JsonNode state(HppServer s, BrowserSession b) {
    var ctx = s.contextOk(b);
    ctx.remove("expiresIn");
    var o = dev.handshake.json.Json.object();
    o.set("context", ctx);
    o.set("changes", s.diffOk(b, "sinceSeq=0").get("changes"));
    return o;
  }

  @Test
  @DisplayName("4.30 [ours] malformed action bodies give JSON 400s, change nothing, and the next valid request succeeds")
  void malformedActions() {
    HppServer s = start(Profile.DEFAULT);
    BrowserSession f = s.formFill("[{\"key\":\"a\"},{\"key\":\"b\",\"type\":\"int\"}]", "{\"a\":\"user\"}");
    JsonNode before = state(s, f);
    String[][] cases = {
      {"{\"actions\":5}", "actions must be a list"},
      {"{\"actions\":{\"key\":\"b\"}}", "actions must be a list"},
      {"{\"actions\":\"b\"}", "actions must be a list"},
      {"{\"actions\":[1]}", "action must be an object"},
      {"{\"actions\":[{\"type\":\"set\",\"key\":\"b\",\"value\":1},[]]}", "action must be an object"},
      {"{\"intervalMs\":\"x\",\"actions\":[{\"type\":\"set\",\"key\":\"b\",\"value\":1}]}", "intervalMs must be a number"},
      {"{\"intervalMs\":[],\"actions\":[]}", "intervalMs must be a number"},
      {"{\"actions\":[{\"type\":\"set\",\"key\":\"b\",\"value\":1},{\"type\":\"set\",\"key\":7,\"value\":1}]}", "key must be a string"},
      {"{\"actions\":[{\"type\":\"set\",\"key\":[1],\"value\":1}]}", "key must be a string"},
      {"{\"actions\":[{\"type\":\"set\",\"key\":{\"k\":1},\"value\":1}]}", "key must be a string"},
      {"{\"actions\":[{\"type\":\"set\",\"key\":true,\"value\":1}]}", "key must be a string"},
      {"[{\"type\":\"set\",\"key\":\"b\",\"value\":1}]", "request body must be a JSON object"},
      {"\"text\"", "request body must be a JSON object"},
    };
    for (String[] c : cases) {
      HttpReply r = s.action(f, c[0]);
      assertError(r, 400, c[1]);
      assertThat(state(s, f)).as("state after rejected body %s", c[0]).isEqualTo(before);
    }
    var ok = s.actionOk(f, "{\"intervalMs\":0,\"actions\":[{\"type\":\"set\",\"key\":\"b\",\"value\":1}]}");
    assertThat(strings(ok.get("applied"))).as("the session is not poisoned").containsExactly("b");
  }

  @Test
  @DisplayName("4.30 [ours] a non-string key in default mode is refused before anything is written; later requests work")
  void nonStringKeyDefaultMode() {
    HppServer s = start(Profile.DEFAULT);
    BrowserSession d = s.defaultSession();
    assertError(s.action(d, "{\"actions\":[{\"key\":\"a\",\"value\":1},{\"key\":7,\"value\":2}]}"), 400, "key must be a string");
    assertError(s.notify(d, "{\"key\":7,\"value\":2}"), 400, "key must be a string");
    assertThat(s.contextOk(d).get("data")).as("the valid first action was not applied either").isEqualTo(json("{}"));
    assertThat(s.diffOk(d, "").get("changes")).isEqualTo(json("[]"));
    assertThat(s.actionOk(d, "{\"actions\":[{\"key\":\"a\",\"value\":1}]}").get("applied")).isEqualTo(json("[\"a\"]"));
    assertThat(s.diffOk(d, "").get("changes")).hasSize(1);
  }

  @Test
  @DisplayName("4.30 [ours] malformed create bodies (meta:\"x\", non-object context, bad schema or options) → JSON 400")
  void malformedCreate() {
    HppServer s = start(Profile.DEFAULT);
    String[][] cases = {
      {"{\"meta\":\"x\"}", "meta must be an object"},
      {"{\"meta\":[1]}", "meta must be an object"},
      {"{\"mode\":\"form-fill\",\"context\":\"x\"}", "context must be an object"},
      {"{\"mode\":\"form-fill\",\"context\":[1]}", "context must be an object"},
      {"{\"context\":[1]}", "context must be an object"},
      {"{\"data\":\"x\"}", "data must be an object"},
      {"{\"mode\":\"form-fill\",\"schema\":\"x\"}", "schema must be a list"},
      {"{\"mode\":\"form-fill\",\"schema\":[{\"key\":\"e\",\"type\":\"enum\",\"options\":[\"a\",\"b\"]}]}", "options must be objects"},
      {"[1]", "request body must be a JSON object"},
    };
    for (String[] c : cases) {
      assertError(s.create(c[0]), 400, c[1]);
    }
    assertThat(s.create("{\"mode\":\"form-fill\",\"schema\":[{\"key\":\"a\"}],\"meta\":{}}").status()).isEqualTo(200);
  }

  @Test
  @DisplayName("4.30 [ours] a non-ASCII token → 403 invalid token (JSON), not a 500")
  void nonAsciiToken() {
    HppServer s = start(Profile.DEFAULT);
    BrowserSession b = s.defaultSession();
    HttpReply r = s.request("GET", s.path("context", b.sid())).token("t\u00f6k\u00e9n-\u00e4").send();
    assertError(r, 403, "invalid token");
    String encoded = HppServer.urlEncode("\u4ee4\u724c");
    HttpReply q = s.request("GET", s.path("context", b.sid()) + "?token=" + encoded).send();
    assertError(q, 403, "invalid token");
    assertThat(s.context(b).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("4.30 [ours] unknown routes, trailing slashes and wrong methods are JSON 404/405, never HTML")
  void routingErrorsAreJson() {
    HppServer s = start(Profile.DEFAULT);
    BrowserSession b = s.defaultSession();
    String p = s.config().prefix();
    assertError(s.request("GET", p + "/nope/" + b.sid()).send(), 404, "not found");
    assertError(s.request("GET", p + "/context/" + b.sid() + "/").token(b.token()).send(), 404, "not found");
    assertError(s.request("GET", p + "/context/").token(b.token()).send(), 404, "not found");
    assertError(s.request("GET", p + "/context").send(), 404, "not found");
    assertError(s.request("POST", p + "/session/").header("Origin", s.origin()).body("{}").send(), 404, "not found");
    assertError(s.request("GET", p + "/session/" + b.sid() + "/extend/x").send(), 404, "not found");
    assertError(s.request("GET", p + "/session").send(), 405, "method not allowed");
    assertError(s.request("PUT", p + "/context/" + b.sid()).token(b.token()).body("{}").send(), 405, "method not allowed");
    assertError(s.request("POST", p + "/context/" + b.sid()).token(b.token()).body("{}").send(), 405, "method not allowed");
    assertError(s.request("GET", p + "/action/" + b.sid()).token(b.token()).send(), 405, "method not allowed");
    assertError(s.request("GET", p + "/notify/" + b.sid()).send(), 405, "method not allowed");
    assertError(s.request("GET", p + "/session/" + b.sid() + "/extend").token(b.token()).send(), 405, "method not allowed");
    assertError(s.request("PATCH", p + "/session/" + b.sid()).token(b.token()).body("{}").send(), 405, "method not allowed");
  }

  @BothProfiles
  @DisplayName("§3.8 [both] every error response in either profile is application/json with an error string")
  void everyErrorIsJson(Profile profile) {
    HppServer s = start(profile.builder().rateLimitPerMinute(1).build());
    BrowserSession b = s.defaultSession();
    String p = s.config().prefix();
    assertThat(s.context(b).status()).as("uses the quota of 1").isEqualTo(200);
    HttpReply[] errors = {
      s.request("GET", p + "/context/" + b.sid()).send(),
      s.request("GET", p + "/context/ffffffffffffffffffffffffffffffff").send(),
      s.action(b, "{\"actions\":5}"),
      s.notify(b, "{}"),
      s.extend(b, "{\"extraSeconds\":0}"),
      s.request("GET", p + "/unknown").send(),
      s.request("DELETE", p + "/context/" + b.sid()).send(),
      s.action(b, "{\"actions\":[]}"),
      s.diff(b, ""),
      s.request("POST", p + "/action/" + b.sid()).token(b.token()).body("[1]").send(),
      s.request("POST", p + "/action/" + b.sid()).token(b.token()).body(new byte[] {(byte) 0xff, (byte) 0xfe, '{'}).send(),
    };
    for (HttpReply r : errors) {
      assertThat(r.status()).as("an error status: %s", r).isBetween(400, 499);
      assertJson(r);
      assertThat(r.object().path("error").isString()).as("{\"error\": string}: %s", r).isTrue();
    }
  }

  @BothProfiles
  @DisplayName("§2.2 [both] a body that is not JSON, or a falsy JSON value, is treated as {}")
  void nonJsonBodyIsEmptyObject(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.defaultSession();
    for (String body : new String[] {"", "garbage", "[]", "null", "0", "false", "{\"unterminated\":"}) {
      var r = s.actionOk(b, body);
      assertThat(r.get("applied")).as("body <%s>", body).isEqualTo(json("[]"));
    }
    byte[] utf8 = "{\"actions\":[{\"key\":\"\u00fcber\",\"value\":\"\u2713\"}]}".getBytes(StandardCharsets.UTF_8);
    assertThat(s.request("POST", s.path("action", b.sid())).token(b.token()).body(utf8).send().status()).isEqualTo(200);
    assertThat(s.contextOk(b).get("data")).isEqualTo(json("{\"\u00fcber\":\"\u2713\"}"));
  }
}
