package dev.handshake.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.handshake.json.Json;
import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** hpp.md §4 item 32: no log line contains a token value, even at DEBUG. */
class LogRedactionTest {
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private Logger root;
  private Level before;

  @BeforeEach
  void capture() {
    root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    before = root.getLevel();
    root.setLevel(Level.DEBUG);
    appender.start();
    root.addAppender(appender);
  }

  @AfterEach
  void release() {
    root.detachAppender(appender);
    root.setLevel(before);
  }

  @Test
  @DisplayName("32 [ours] tokens never reach the log, in query strings or headers")
  void tokensNeverLogged() throws Exception {
    SessionConfig config = SessionConfig.builder().allowQueryToken(true).build();
    SessionEngine engine = SessionEngine.builder().config(config).build();
    try (HandshakeServer server =
        HandshakeServer.start(
            new ServerConfig("127.0.0.1", 0, Optional.empty(), config, 100, false), engine)) {
      URI base = server.baseUri();
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> created =
          http.send(
              HttpRequest.newBuilder(base.resolve("/handshake/session"))
                  .header("Origin", base.toString())
                  .POST(HttpRequest.BodyPublishers.ofString("{}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      var body = Json.tryParse(created.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)).orElseThrow();
      String sid = body.get("sessionId").stringValue();
      String token = body.get("token").stringValue();
      for (String path :
          new String[] {
            "/handshake/context/" + sid + "?token=" + token,
            "/handshake/diff/" + sid + "?since=&token=" + token,
            "/handshake/context/" + sid + "?token=" + token + "x"
          }) {
        http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
      }
      http.send(
          HttpRequest.newBuilder(base.resolve("/handshake/context/" + sid))
              .header("X-Handshake-Token", token)
              .GET()
              .build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(appender.list).as("the request log ran at DEBUG").isNotEmpty();
      assertThat(appender.list)
          .allSatisfy(
              e ->
                  assertThat(e.getFormattedMessage())
                      .as("log line must not contain the session token")
                      .doesNotContain(token));
    }
  }
}
