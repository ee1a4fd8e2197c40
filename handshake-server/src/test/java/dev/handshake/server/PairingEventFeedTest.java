package dev.handshake.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.pairing.PairingConfig;
import dev.handshake.pairing.Requester;
import dev.handshake.pairing.auth.OperatorTokens;
import dev.handshake.pairing.http.PairingEventFeed;
import dev.handshake.pairing.http.PairingHttpApi;
import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pairing.md §4 item 18 over real sockets: the operator event socket refuses foreign origins with
 * 4003 and closes with 4001 {@code credentials_rotated} when the operator token is rotated.
 */
class PairingEventFeedTest {
  @TempDir Path data;
  HandshakeServer server;
  ServerPairing pairing;
  String admin;
  final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    pairing = ServerPairing.open(data, "127.0.0.1", PairingConfig.defaults(), PairingHttpApi.Settings.DEFAULTS,
        Optional.empty(), Optional.empty(), Set.of("https://console.example"), Clock.systemUTC());
    SessionConfig config = SessionConfig.defaults();
    server = HandshakeServer.start(new ServerConfig("127.0.0.1", 0, Optional.empty(), config, 100, false),
        SessionEngine.builder().config(config).build(), null, null, pairing);
    admin = Files.readString(data.resolve(OperatorTokens.DEFAULT_FILE)).strip();
  }

  @AfterEach
  void stop() {
    server.close();
    client.close();
  }

  /** What a socket saw: text frames, then its close code and reason. */
  static final class Seen implements WebSocket.Listener {
    final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      texts.add(data.toString());
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
      closed.complete(code + " " + reason);
      return null;
    }
  }

  WebSocket open(Seen seen, Map<String, String> headers) throws Exception {
    URI uri = URI.create("ws://127.0.0.1:" + server.port() + PairingEventFeed.PATH);
    WebSocket.Builder b = client.newWebSocketBuilder();
    headers.forEach(b::header);
    return b.buildAsync(uri, seen).get(10, TimeUnit.SECONDS);
  }

  @Test
  void item18_operatorsSeeEventsLiveAndForeignOriginsAreClosedWith4003() throws Exception {
    Seen operator = new Seen();
    open(operator, Map.of("Authorization", "Bearer " + admin));
    Seen console = new Seen();
    open(console, Map.of("Authorization", "Bearer " + admin, "Origin", "https://console.example"));
    pairing.store().request(Requester.of("telegram", "111"), Map.of(), Optional.empty());
    pairing.tickNow();
    assertThat(operator.texts.poll(10, TimeUnit.SECONDS)).contains("\"type\":\"pairing.requested\"")
        .contains("\"sender\":\"111\"");
    assertThat(console.texts.poll(10, TimeUnit.SECONDS)).contains("pairing.requested");

    Seen evil = new Seen();
    open(evil, Map.of("Authorization", "Bearer " + admin, "Origin", "https://evil.example"));
    assertThat(evil.closed.get(10, TimeUnit.SECONDS)).isEqualTo("4003 origin not allowed");
  }

  @Test
  void item18_withoutAnOperatorTokenTheUpgradeIsRefused() {
    for (Map<String, String> headers : java.util.List.of(Map.<String, String>of(),
        Map.of("Authorization", "Bearer " + "x".repeat(40)))) {
      assertThatThrownBy(() -> open(new Seen(), headers))
          .cause().isInstanceOfSatisfying(java.net.http.WebSocketHandshakeException.class,
              e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
    }
  }

  @Test
  void item18_rotatingTheOperatorTokenClosesItsSocketsWith4001() throws Exception {
    Seen operator = new Seen();
    open(operator, Map.of("Authorization", "Bearer " + admin));
    String fresh = OperatorTokens.rotateDefault(data, new SecureRandom()).reveal();
    pairing.tickNow();
    assertThat(operator.closed.get(10, TimeUnit.SECONDS)).isEqualTo("4001 credentials_rotated");
    assertThat(status(admin)).as("the old token no longer works").isEqualTo(401);
    assertThat(status(fresh)).as("the new one does, without a restart").isEqualTo(200);
  }

  int status(String token) throws Exception {
    return client.send(HttpRequest.newBuilder(server.baseUri().resolve("/v1/pairing/grants"))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }
}
