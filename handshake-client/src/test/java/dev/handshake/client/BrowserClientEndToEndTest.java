package dev.handshake.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The browser side against a real engine: create, binding cookie, notify, prompt, end. */
class BrowserClientEndToEndTest {
  private HppTestServer server;

  @BeforeEach
  void start() throws Exception {
    server = HppTestServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void createsASessionFromTheServersOwnOrigin() {
    try (BrowserClient browser = BrowserClient.of(server.baseUrl())) {
      CreatedSession s = browser.create(EndToEnd.expenseForm());

      assertThat(s.sessionId()).matches("[0-9a-f]{32}");
      assertThat(s.token().reveal()).matches("[A-Za-z0-9_-]{32}");
      assertThat(s.wsUrl()).isEqualTo("/ws/handshake/" + s.sessionId());
      assertThat(s.expiresIn()).isEqualTo(1800);
      assertThat(server.seen().getLast().header("Origin")).contains(server.baseUrl().toString());
    }
  }

  @Test
  void createWithoutAnOriginIs403() {
    try (BrowserClient script = BrowserClient.builder(server.baseUrl()).withoutOrigin().build()) {
      assertThatThrownBy(() -> script.create(EndToEnd.expenseForm()))
          .isInstanceOfSatisfying(
              HandshakeException.class,
              e -> {
                assertThat(e.status()).isEqualTo(403);
                assertThat(e.error()).isEqualTo("origin required");
              });
    }
  }

  @Test
  void createFromAForeignOriginIs403() {
    try (BrowserClient evil =
        BrowserClient.builder(server.baseUrl()).origin("https://evil.example").build()) {
      assertThatThrownBy(() -> evil.create(EndToEnd.expenseForm()))
          .isInstanceOfSatisfying(
              HandshakeException.class, e -> assertThat(e.error()).isEqualTo("origin not allowed"));
    }
  }

  @Test
  void notifiesWithTheBindingCookieFromCreate() {
    try (BrowserClient browser = BrowserClient.of(server.baseUrl())) {
      browser.create(EndToEnd.expenseForm());

      JsonNode ok = browser.notify("name", "Bob");

      assertThat(ok.path("ok").booleanValue()).isTrue();
      assertThat(server.seen().getLast().header("Cookie"))
          .hasValueSatisfying(c -> assertThat(c).startsWith("hs_bind="));
      assertThat(server.seen().getLast().header("X-Handshake-Token"))
          .as("notify is a browser call, not an agent call")
          .isEmpty();
    }
  }

  @Test
  void notifyReportsTheServersValidationError() {
    try (BrowserClient browser = BrowserClient.of(server.baseUrl())) {
      browser.create(EndToEnd.expenseForm());

      assertThatThrownBy(() -> browser.notify("no-such-field", 1))
          .isInstanceOfSatisfying(
              HandshakeException.class, e -> assertThat(e.status()).isEqualTo(400));
    }
  }

  @Test
  void promptIncludesInstructionsWhenGiven() {
    try (BrowserClient browser = BrowserClient.of(server.baseUrl())) {
      browser.create(EndToEnd.expenseForm());

      String prompt = browser.prompt("Fill in: taxi & hotel, 100% refundable");

      assertThat(prompt)
          .contains("## Instructions\nFill in: taxi & hotel, 100% refundable\n")
          .contains("- sessionId: " + browser.session().orElseThrow().sessionId());
    }
  }

  @Test
  void endingTheSessionFromTheBrowserMakesThePromptA404() {
    try (BrowserClient browser = BrowserClient.of(server.baseUrl())) {
      browser.create(EndToEnd.defaultMode());

      assertThat(browser.end().path("ok").booleanValue()).isTrue();
      assertThatThrownBy(browser::prompt)
          .isInstanceOfSatisfying(
              HandshakeException.class, e -> assertThat(e.status()).isEqualTo(404));
    }
  }

  @Test
  void needsASessionBeforeAnythingElse() {
    try (BrowserClient browser = BrowserClient.of(server.baseUrl())) {
      assertThat(browser.session()).isEmpty();
      assertThatThrownBy(browser::listen).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> browser.notify("k", "v")).isInstanceOf(IllegalStateException.class);
    }
  }
}
