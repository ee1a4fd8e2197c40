package dev.handshake.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.session.SessionConfig;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Resource limits, CORS and caching: hpp.md §3 items 2, 6 and checklist item 31. */
public abstract class LimitsConformance extends HppConformanceBase {

  static String actions(int n) {
    StringBuilder sb = new StringBuilder("{\"actions\":[");
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ",").append("{\"key\":\"k").append(i % 7).append("\",\"value\":").append(i).append('}');
    }
    return sb.append("]}").toString();
  }

  /** A syntactically valid action body of exactly {@code size} bytes. */
  static String bodyOfSize(int size) {
    String head = "{\"actions\":[{\"key\":\"pad\",\"value\":\"";
    String tail = "\"}]}";
    char[] pad = new char[size - head.length() - tail.length()];
    Arrays.fill(pad, 'x');
    return head + new String(pad) + tail;
  }

  @Test
  @DisplayName("4.31 [ours] a body over 1 MiB → 413 request body too large (JSON) and nothing is written")
  void bodyOverOneMiB() {
    HppServer s = start(Profile.DEFAULT);
    assertThat(s.config().maxBodyBytes()).isEqualTo(1 << 20);
    BrowserSession b = s.defaultSession();
    assertError(s.action(b, bodyOfSize((1 << 20) + 1)), 413, "request body too large");
    assertThat(s.contextOk(b).get("data")).isEqualTo(json("{}"));
    assertThat(s.action(b, bodyOfSize(1 << 20)).status()).as("exactly 1 MiB is accepted").isEqualTo(200);
    assertError(s.create(" ".repeat((1 << 20) + 1)), 413, "request body too large");
    assertError(s.notify(b, bodyOfSize((1 << 20) + 10)), 413, "request body too large");
  }

  @Test
  @DisplayName("4.31 [ours] the body limit is configurable and applies to every endpoint")
  void configuredBodyLimit() {
    HppServer s = start(SessionConfig.defaults().toBuilder().maxBodyBytes(2048).build());
    BrowserSession b = s.defaultSession();
    assertThat(s.action(b, bodyOfSize(2048)).status()).isEqualTo(200);
    assertError(s.action(b, bodyOfSize(2049)), 413, "request body too large");
    assertError(s.extend(b, bodyOfSize(4096)), 413, "request body too large");
  }

  @Test
  @DisplayName("4.31 [ours] more than 500 actions → 400 too many actions; exactly 500 is accepted")
  void tooManyActions() {
    HppServer s = start(Profile.DEFAULT);
    BrowserSession b = s.defaultSession();
    assertError(s.action(b, actions(501)), 400, "too many actions");
    assertThat(s.diffOk(b, "").get("changes")).as("a refused request writes nothing").isEqualTo(json("[]"));
    assertThat(s.actionOk(b, actions(500)).get("applied")).hasSize(500);
  }

  @Test
  @DisplayName("§3.6 [ours] keys longer than 256 characters and schemas over 500 fields → 400")
  void keyAndSchemaLimits() {
    HppServer s = start(Profile.DEFAULT);
    BrowserSession b = s.defaultSession();
    String longKey = "k".repeat(257);
    assertError(s.action(b, "{\"actions\":[{\"key\":\"" + longKey + "\",\"value\":1}]}"), 400, "key too long");
    assertError(s.notify(b, "{\"key\":\"" + longKey + "\"}"), 400, "key too long");
    assertThat(s.actionOk(b, "{\"actions\":[{\"key\":\"" + "k".repeat(256) + "\",\"value\":1}]}").get("applied")).hasSize(1);
    StringBuilder schema = new StringBuilder("[");
    for (int i = 0; i < 501; i++) {
      schema.append(i == 0 ? "" : ",").append("{\"key\":\"f").append(i).append("\"}");
    }
    assertError(s.create("{\"mode\":\"form-fill\",\"schema\":" + schema + "]}"), 400, "too many schema fields");
  }

  @Test
  @DisplayName("4.31 [ours] CORS never echoes a non-allowlisted origin together with Allow-Credentials")
  void noCorsReflection() {
    HppServer s = start(Profile.DEFAULT);
    BrowserSession b = s.defaultSession();
    String evil = "https://evil.example";
    List<HttpReply> replies = List.of(
        s.request("POST", "/handshake/session").header("Origin", evil).body("{}").send(),
        s.request("GET", s.path("context", b.sid())).header("Origin", evil).token(b.token()).send(),
        s.request("OPTIONS", "/handshake/session").header("Origin", evil)
            .header("Access-Control-Request-Method", "POST").send(),
        s.request("OPTIONS", s.path("context", b.sid())).header("Origin", evil)
            .header("Access-Control-Request-Headers", "x-handshake-token").send());
    for (HttpReply r : replies) {
      assertThat(r.header("Access-Control-Allow-Origin")).as("no ACAO for a foreign origin: %s", r).isEmpty();
      assertThat(r.header("Access-Control-Allow-Credentials")).as("no credentials grant: %s", r).isEmpty();
    }
    HttpReply sameOrigin = s.create("{}");
    assertThat(sameOrigin.header("Access-Control-Allow-Origin").orElse(""))
        .as("never a wildcard").isNotEqualTo("*");
  }

  @Test
  @DisplayName("4.31 [ours] an allowlisted CORS origin is answered with credentials; others still are not")
  void corsAllowlist() {
    String app = "https://app.example";
    HppServer s = start(SessionConfig.defaults().toBuilder().corsAllowedOrigins(List.of(app)).build());
    BrowserSession b = s.defaultSession();
    HttpReply pre = s.request("OPTIONS", s.path("context", b.sid())).header("Origin", app)
        .header("Access-Control-Request-Method", "GET").send();
    assertThat(pre.status()).isBetween(200, 204);
    assertThat(pre.header("Access-Control-Allow-Origin")).contains(app);
    assertThat(pre.header("Access-Control-Allow-Credentials")).contains("true");
    HttpReply get = s.request("GET", s.path("context", b.sid())).header("Origin", app).token(b.token()).send();
    assertThat(get.header("Access-Control-Allow-Origin")).contains(app);
    HttpReply evil = s.request("GET", s.path("context", b.sid())).header("Origin", "https://app.example.evil.example").token(b.token()).send();
    assertThat(evil.header("Access-Control-Allow-Origin")).isEmpty();
  }

  @BothProfiles
  @DisplayName("§3.4 [both] responses that carry a token or user data are Cache-Control: no-store")
  void noStore(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.defaultSession();
    for (HttpReply r : List.of(s.create("{}"), s.context(b), s.prompt(b), s.diff(b, ""), s.action(b, "{}"))) {
      assertThat(r.header("Cache-Control").orElse("")).as("Cache-Control of %s", r).containsIgnoringCase("no-store");
    }
  }
}
