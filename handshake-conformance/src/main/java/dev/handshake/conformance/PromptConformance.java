package dev.handshake.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code GET {prefix}/prompt/<sid>} and reference-agent interop: hpp.md §2.9, checklist 29. */
public abstract class PromptConformance extends HppConformanceBase {

  static String promptText(HppServer s, BrowserSession b) {
    HttpReply r = s.prompt(b);
    assertThat(r.status()).as("prompt: %s", r).isEqualTo(200);
    assertThat(r.contentType()).as("the prompt is plain text").startsWith("text/plain");
    return r.body();
  }

  @BothProfiles
  @DisplayName("4.29 [both] the reference parse_prompt reads sessionId, token and baseUrl (the app root) from our prompt")
  void parsePromptReadsCredentials(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.formFill("[{\"key\":\"name\",\"type\":\"string\",\"required\":true,\"label\":\"Name: full\"}]", "{}");
    String text = promptText(s, b);
    Map<String, String> parsed = ReferenceAgent.parsePrompt(text);
    assertThat(parsed.get("sessionId")).isEqualTo(b.sid());
    assertThat(parsed.get("token")).isEqualTo(b.token());
    assertThat(parsed.get("baseUrl")).as("the app root, no path").isEqualTo(s.baseUrl());
    assertThat(parsed.get("mode")).isEqualTo("form-fill");
    assertThat(parsed.get("expiresIn")).as("expiresIn keeps its s suffix").matches("\\d+s");
    assertThat(text).as("credentials block lines").contains("- sessionId: " + b.sid(), "- token: " + b.token(), "- baseUrl: " + s.baseUrl());
    assertThat(text.indexOf("- token: ")).as("the credentials come before anything else a parser could match")
        .isLessThan(text.indexOf("## Usage"));
  }

  @BothProfiles
  @DisplayName("4.29 [both] the reference agent's context, action, diff?since and extend calls work at baseUrl with its exact headers")
  void referenceAgentSequence(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.formFill("[{\"key\":\"name\",\"required\":true},{\"key\":\"city\"}]", "{\"city\":\"Oslo\"}");
    ReferenceAgent agent = new ReferenceAgent(s.http(), ReferenceAgent.parsePrompt(promptText(s, b)));

    HttpReply ctx = agent.getContext();
    assertThat(ctx.status()).as("get-context: %s", ctx).isEqualTo(200);
    assertThat(strings(ctx.object().get("missing"))).containsExactly("name");

    Map<String, String> values = new LinkedHashMap<>();
    values.put("name", "Alice");
    values.put("city", "Bergen");
    long t0 = System.nanoTime();
    HttpReply act = agent.action(values, true, 300);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(act.status()).as("action: %s", act).isEqualTo(200);
    ObjectNode a = act.object();
    assertThat(a.get("ok").asBoolean()).isTrue();
    assertThat(strings(a.get("applied"))).containsExactly("name");
    assertThat(strings(a.get("rejected"))).as("the user's city is protected").containsExactly("city");
    assertThat(ms).as("well inside the agent's 15 s timeout").isLessThan(HppHttp.REQUEST_TIMEOUT.toMillis());

    JsonNode first = agent.getDiff("").object().get("changes");
    assertThat(first).hasSize(1);
    advance(Duration.ofSeconds(2));
    s.notifyOk(b, "{\"key\":\"name\",\"value\":\"Alice B.\"}");
    HttpReply diff = agent.getDiff(first.get(0).get("at").asString());
    assertThat(diff.status()).as("get-diff --since: %s", diff).isEqualTo(200);
    JsonNode later = diff.object().get("changes");
    assertThat(later).hasSize(1);
    assertThat(later.get(0).get("by").asString()).isEqualTo("user_edit");

    HttpReply ext = agent.extend(600);
    assertThat(ext.status()).as("extend: %s", ext).isEqualTo(200);
    assertThat(ext.object().get("extended").asLong()).isEqualTo(600);
  }

  @BothProfiles
  @DisplayName("4.29 [both] the agent reads the error text from JSON error on a non-2xx answer")
  void agentErrorsAreJson(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.defaultSession();
    Map<String, String> parsed = new LinkedHashMap<>(ReferenceAgent.parsePrompt(promptText(s, b)));
    parsed.put("token", "stale");
    HttpReply r = new ReferenceAgent(s.http(), parsed).getContext();
    assertError(r, 403, "invalid token");
  }

  @BothProfiles
  @DisplayName("§2.9 [both] the prompt needs the token, 404s for unknown sids, is not cached and can carry instructions")
  void promptEndpoint(Profile profile) {
    HppServer s = start(profile);
    BrowserSession b = s.defaultSession();
    assertError(s.request("GET", s.path("prompt", b.sid())).send(), 403, "invalid token");
    assertError(s.request("GET", s.path("prompt", "ffffffffffffffffffffffffffffffff")).token(b.token()).send(), 404, "session not found or expired");
    HttpReply r = s.request("GET", s.path("prompt", b.sid()) + "?instructions=" + HppServer.urlEncode("Fill the trip form")).token(b.token()).send();
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Cache-Control").orElse("")).containsIgnoringCase("no-store");
    assertThat(r.body()).contains("## Instructions", "Fill the trip form");
    assertThat(r.body()).as("the prompt never claims the token is single-use").doesNotContainIgnoringCase("single-use");
    assertThat(ReferenceAgent.parsePrompt(r.body()).get("sessionId")).isEqualTo(b.sid());
  }

  @Test
  @DisplayName("4.29 [both] parse_prompt port: first occurrence wins, all three keys are required")
  void parserPort() {
    Map<String, String> p = ReferenceAgent.parsePrompt(
        "# x\n- sessionId: abc  \n  token :  t-1\nbaseUrl: http://h:1/\n- token: second\n- skill: s\nnot a match\n");
    assertThat(p).containsEntry("sessionId", "abc").containsEntry("token", "t-1")
        .containsEntry("baseUrl", "http://h:1/").containsEntry("skill", "s");
    assertThatThrownBy(() -> ReferenceAgent.parsePrompt("- sessionId: a\n- token: b\n"))
        .hasMessageContaining("baseUrl");
  }
}
