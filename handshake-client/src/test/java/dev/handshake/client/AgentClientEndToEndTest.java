package dev.handshake.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.session.SessionConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The agent's whole journey against a real engine: the browser creates a session and fetches the
 * prompt, the agent parses it and calls context, action, diff, extend and end (hpp.md §2.3, §2.9).
 */
class AgentClientEndToEndTest {
  private HppTestServer server;
  private BrowserClient browser;
  private AgentClient agent;

  @BeforeEach
  void createSessionAndHandThePromptToTheAgent() throws Exception {
    server = HppTestServer.start();
    browser = BrowserClient.of(server.baseUrl());
    browser.create(EndToEnd.expenseForm());
    agent = AgentClient.create(Prompt.parse(browser.prompt()));
  }

  @AfterEach
  void stop() {
    agent.close();
    browser.close();
    server.close();
  }

  @Test
  void promptCarriesTheCredentialsTheBrowserReceived() {
    CreatedSession created = browser.session().orElseThrow();
    Prompt prompt = Prompt.parse(browser.prompt());

    assertThat(prompt.sessionId()).isEqualTo(created.sessionId());
    assertThat(prompt.token()).isEqualTo(created.token());
    assertThat(prompt.baseUrl()).isEqualTo(server.baseUrl().toString());
    assertThat(prompt.mode()).contains("form-fill");
    assertThat(prompt.expiresIn()).hasValueSatisfying(e -> assertThat(e).endsWith("s"));
  }

  @Test
  void readsTheContextOfAFreshForm() {
    JsonNode context = agent.context();

    assertThat(context.path("sessionId").stringValue()).isEqualTo(agent.sessionId());
    assertThat(context.path("mode").stringValue()).isEqualTo("form-fill");
    assertThat(context.path("missing")).extracting(JsonNode::stringValue).containsExactly("name");
  }

  @Test
  void sendsTheReferenceAgentHeaders() {
    agent.context();

    HppTestServer.Seen request = server.seen().getLast();
    assertThat(request.path()).isEqualTo("/handshake/context/" + agent.sessionId());
    assertThat(request.header("Content-Type")).contains("application/json; charset=utf-8");
    assertThat(request.header("X-Handshake-Token"))
        .contains(browser.session().orElseThrow().token().reveal());
  }

  @Test
  void writesFieldsAndSeesThemInContextAndDiff() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("name", "Alice");
    values.put("amount", 12.5);

    JsonNode result = agent.action(values, false, 0);
    JsonNode context = agent.context();
    JsonNode diff = agent.diff();

    assertThat(result.path("ok").booleanValue()).isTrue();
    assertThat(result.path("applied"))
        .extracting(JsonNode::stringValue)
        .containsExactly("name", "amount");
    assertThat(context.path("context").path("name").path("by").stringValue()).isEqualTo("ai");
    assertThat(context.path("missing")).isEmpty();
    assertThat(diff.path("changes"))
        .extracting(c -> c.path("key").stringValue())
        .containsExactly("name", "amount");
  }

  @Test
  void sendsActionObjectsAsGivenAndReportsPerActionErrors() {
    JsonNode result =
        agent.action(
            List.of(
                AgentClient.setAction("amount", "not a number"),
                AgentClient.setAction("name", "A")),
            false,
            0);

    assertThat(result.path("applied")).extracting(JsonNode::stringValue).containsExactly("name");
    assertThat(result.path("errors").get(0).path("msg").stringValue())
        .isEqualTo("type mismatch, expected number");
  }

  @Test
  void cannotOverwriteAFieldThePersonEdited() {
    browser.notify("name", "Bob");

    JsonNode result = agent.action(Map.of("name", "Alice"), false, 0);

    assertThat(result.path("rejected")).extracting(JsonNode::stringValue).containsExactly("name");
    assertThat(agent.context().path("context").path("name").path("value").stringValue())
        .isEqualTo("Bob");
  }

  @Test
  void readsOnlyLaterChangesBySeqOrByTimestamp() {
    agent.action(Map.of("name", "Alice"), false, 0);
    agent.action(Map.of("amount", 3), false, 0);
    JsonNode first = agent.diff().path("changes").get(0);

    JsonNode bySeq = agent.diffSinceSeq(first.path("seq").longValue());
    JsonNode byTime = agent.diffSince(first.path("at").stringValue());

    assertThat(bySeq.path("changes"))
        .extracting(c -> c.path("key").stringValue())
        .containsExactly("amount");
    assertThat(byTime.path("since").stringValue())
        .as("the '+' of the offset survives the query string")
        .isEqualTo(first.path("at").stringValue());
    assertThat(byTime.path("changes"))
        .extracting(c -> c.path("key").stringValue())
        .containsExactly("amount");
  }

  @Test
  void streamsWithTheReferenceDefaultsInDefaultMode() {
    browser.create(EndToEnd.defaultMode());
    try (AgentClient other = AgentClient.create(Prompt.parse(browser.prompt()))) {
      JsonNode result = other.action(Map.of("city", "Lyon"));

      assertThat(result.path("applied")).extracting(JsonNode::stringValue).containsExactly("city");
      assertThat(other.context().path("data").path("city").stringValue()).isEqualTo("Lyon");
    }
  }

  @Test
  void extendsTheSession() {
    JsonNode result = agent.extend(600);

    assertThat(result.path("ok").booleanValue()).isTrue();
    assertThat(result.path("extended").longValue()).isEqualTo(600);
    assertThat(result.path("expiresIn").longValue()).isGreaterThan(1800);
  }

  @Test
  void rejectsAnOutOfRangeExtensionWith400() {
    assertThatThrownBy(() -> agent.extend(0))
        .isInstanceOfSatisfying(
            HandshakeException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.error()).isEqualTo("extraSeconds must be between 1 and 86400");
            });
  }

  @Test
  void endingTheSessionMakesEveryLaterCallA404() {
    assertThat(agent.end().path("ok").booleanValue()).isTrue();

    assertThatThrownBy(agent::context)
        .isInstanceOfSatisfying(
            HandshakeException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.error()).isEqualTo("session not found or expired");
              assertThat(e).hasMessage("HTTP 404: session not found or expired");
            });
  }

  @Test
  void aWrongTokenIs403WithTheServersError() {
    try (AgentClient impostor =
        AgentClient.builder(
                agent.sessionId(), SessionToken.of("wrong"), server.baseUrl().toString())
            .build()) {
      assertThatThrownBy(impostor::context)
          .isInstanceOfSatisfying(
              HandshakeException.class,
              e -> {
                assertThat(e.status()).isEqualTo(403);
                assertThat(e.error()).isEqualTo("invalid token");
                assertThat(e.body()).hasValueSatisfying(b -> assertThat(b.has("error")).isTrue());
              });
    }
  }

  @Test
  void anUnknownSessionIs404() {
    try (AgentClient lost =
        AgentClient.builder("0".repeat(32), SessionToken.of("t"), server.baseUrl() + "/").build()) {
      assertThatThrownBy(lost::diff)
          .isInstanceOfSatisfying(
              HandshakeException.class, e -> assertThat(e.status()).isEqualTo(404));
    }
  }

  @Test
  void rateLimitingReportsRetryAfterSeconds() throws Exception {
    try (HppTestServer strict =
            HppTestServer.start(SessionConfig.builder().rateLimitPerMinute(1).build());
        BrowserClient tab = BrowserClient.of(strict.baseUrl())) {
      tab.create(EndToEnd.expenseForm());
      try (AgentClient limited = AgentClient.create(Prompt.parse(tab.prompt()))) {
        limited.context();

        assertThatThrownBy(limited::context)
            .isInstanceOfSatisfying(
                HandshakeException.class,
                e -> {
                  assertThat(e.status()).isEqualTo(429);
                  assertThat(e.error()).isEqualTo("rate limit exceeded");
                  assertThat(e.retryAfterSeconds()).isPresent();
                });
      }
    }
  }

  @Test
  void neverPrintsTheToken() {
    String token = browser.session().orElseThrow().token().reveal();

    assertThat(agent.toString()).doesNotContain(token);
    assertThat(browser.toString()).doesNotContain(token);
    assertThat(browser.session().orElseThrow().toString()).doesNotContain(token);
  }
}
