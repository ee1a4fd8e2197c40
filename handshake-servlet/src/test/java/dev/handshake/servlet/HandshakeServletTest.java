package dev.handshake.servlet;

import static dev.handshake.servlet.Servers.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.conformance.BrowserSession;
import dev.handshake.conformance.HppServer;
import dev.handshake.conformance.HttpReply;
import dev.handshake.json.Json;
import dev.handshake.session.SessionConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP side of the adapter in a real Tomcat: body limits, JSON errors, async pacing. */
class HandshakeServletTest {
  private static final String SCHEMA =
      "[{\"key\":\"name\",\"type\":\"string\",\"required\":true},{\"key\":\"city\"}]";

  private final Servers servers = new Servers();

  @AfterEach
  void stop() {
    servers.close();
  }

  @Test
  void declaredOversizedBodyIsRefusedBeforeItIsSent() throws Exception {
    HppServer s = servers.start(SessionConfig.builder().maxBodyBytes(1024).build());
    try (Socket socket = new Socket(s.baseUri().getHost(), s.baseUri().getPort())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      String head =
          "POST /handshake/session HTTP/1.1\r\nHost: " + s.baseUri().getAuthority()
              + "\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII)); // and not one byte of the body
      out.flush();
      String reply = readUntilClosed(socket.getInputStream());
      assertThat(reply).startsWith("HTTP/1.1 413");
      assertThat(reply).containsIgnoringCase("Content-Type: application/json");
      assertThat(reply).endsWith("{\"error\":\"request body too large\"}");
    }
  }

  @Test
  void chunkedBodyOverTheLimitIs413() throws Exception {
    HppServer s = servers.start(SessionConfig.builder().maxBodyBytes(1024).build());
    HttpReply r = postChunked(s, "/handshake/session", " ".repeat(3000) + "{}");
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.json()).isEqualTo(json("{\"error\":\"request body too large\"}"));
  }

  @Test
  void bodyOfExactlyTheLimitIsAccepted() throws Exception {
    HppServer s = servers.start(SessionConfig.builder().maxBodyBytes(1024).build());
    String body = " ".repeat(1022) + "{}";
    assertThat(s.create(body).status()).isEqualTo(200);
    assertThat(postChunked(s, "/handshake/session", body).status())
        .as("without Content-Length too")
        .isEqualTo(200);
  }

  @Test
  void unknownRoutesAndWrongMethodsAnswerJson() throws Exception {
    HppServer s = servers.start(SessionConfig.defaults());
    assertJsonError(s.request("GET", "/handshake/nope/x").send(), 404, "not found");
    assertJsonError(s.request("GET", "/handshake").send(), 404, "not found");
    assertJsonError(s.request("POST", "/handshake/session/").body("{}").send(), 404, "not found");
    assertJsonError(s.request("GET", "/handshake/session").send(), 405, "method not allowed");
    assertJsonError(
        s.request("PUT", "/handshake/context/abc").body("{}").send(), 405, "method not allowed");
    assertThat(s.request("HEAD", "/handshake/context/abc").send().status()).isEqualTo(405);
  }

  @Test
  void malformedBodiesAnswerJson400AndDoNotPoisonTheSession() throws Exception {
    HppServer s = servers.start(SessionConfig.defaults());
    assertJsonError(s.create("[1]"), 400, "request body must be a JSON object");
    BrowserSession b = s.defaultSession();
    assertJsonError(s.action(b, "{\"actions\":5}"), 400, "actions must be a list");
    assertJsonError(s.action(b, "{\"actions\":[1]}"), 400, "action must be an object");
    assertThat(s.action(b, "{\"actions\":[]}").status()).isEqualTo(200);
  }

  @Test
  void pathsArePercentDecodedLikeTheNettyAdapter() throws Exception {
    HppServer s = servers.start(SessionConfig.defaults());
    BrowserSession b = s.defaultSession();
    String encoded = "%" + Integer.toHexString(b.sid().charAt(0)) + b.sid().substring(1);
    assertThat(s.request("GET", "/handshake/context/" + encoded).token(b.token()).send().status())
        .isEqualTo(200);
  }

  @Test
  void pacedActionsDoNotHoldAContainerThread() throws Exception {
    HppServer s = servers.start(SessionConfig.defaults(), true, 1); // one request thread in all
    BrowserSession b = s.formFill(SCHEMA, "{}");
    String paced =
        "{\"intervalMs\":2000,\"actions\":[{\"type\":\"set\",\"key\":\"name\",\"value\":\"A\"},"
            + "{\"type\":\"set\",\"key\":\"city\",\"value\":\"B\"},"
            + "{\"type\":\"set\",\"key\":\"name\",\"value\":\"C\"}]}";
    CompletableFuture<HttpReply> action = CompletableFuture.supplyAsync(() -> s.action(b, paced));
    Thread.sleep(300); // the action is now pausing between its pushes
    long t0 = System.nanoTime();
    for (int i = 0; i < 10; i++) {
      assertThat(s.context(b).status()).isEqualTo(200);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .as("context answered while the action paused")
        .isLessThan(Duration.ofMillis(1500));
    assertThat(action.isDone()).as("the action is still pacing").isFalse();
    assertThat(action.get().status()).isEqualTo(200);
  }

  @Test
  void installerDoesNotDependOnInitializerOrder() throws Exception {
    HppServer s = servers.start(SessionConfig.defaults(), false, 10); // WsSci after ours
    BrowserSession b = s.defaultSession();
    assertThat(s.ws(b).next().path("type").asString()).isEqualTo("connected");
  }

  // ---- helpers ----------------------------------------------------------------------------

  static void assertJsonError(HttpReply r, int status, String message) {
    assertThat(r.status()).as("status of %s", r).isEqualTo(status);
    assertThat(r.looksLikeHtml()).as("never HTML: %s", r).isFalse();
    assertThat(r.declaresJson()).as("declared JSON: %s", r).isTrue();
    assertThat(r.json()).as("body of %s", r).isEqualTo(Json.object().put("error", message));
  }

  /** POSTs with chunked transfer encoding (no Content-Length), as a streaming client does. */
  private static HttpReply postChunked(HppServer s, String path, String body) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(s.baseUri().resolve(path))
            .header("Origin", s.origin())
            .POST(HttpRequest.BodyPublishers.fromPublisher(inChunks(body)))
            .build();
    HttpResponse<byte[]> r = s.http().client().send(req, HttpResponse.BodyHandlers.ofByteArray());
    return new HttpReply(r.statusCode(), r.headers(), r.body());
  }

  private static Flow.Publisher<ByteBuffer> inChunks(String body) {
    return subscriber -> {
      SubmissionPublisher<ByteBuffer> p = new SubmissionPublisher<>();
      p.subscribe(subscriber);
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < bytes.length; i += 512) {
        p.submit(ByteBuffer.wrap(bytes, i, Math.min(512, bytes.length - i)));
      }
      p.close();
    };
  }

  private static String readUntilClosed(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all);
    return all.toString(StandardCharsets.UTF_8);
  }
}
