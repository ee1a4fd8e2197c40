package dev.handshake.bench;

import dev.handshake.json.Json;
import dev.handshake.server.HandshakeServer;
import dev.handshake.server.ServerConfig;
import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * WebSocket push latency: the time from sending an action POST (10 fields, stream off) to the
 * browser-side socket receiving {@code done}. Starts the Netty server in-process on a random
 * loopback port. Run: {@code java -cp handshake-bench/target/benchmarks.jar
 * dev.handshake.bench.PushLatencyBench 5000}.
 */
public final class PushLatencyBench {
  private PushLatencyBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    SessionConfig config = SessionConfig.builder().rateLimitPerMinute(0).build();
    SessionEngine engine = SessionEngine.builder().config(config).build();
    try (HandshakeServer server =
        HandshakeServer.start(new ServerConfig("127.0.0.1", 0, Optional.empty(), config, 100, false), engine)) {
      URI base = server.baseUri();
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      var created =
          Json.tryParse(
                  http.send(
                          HttpRequest.newBuilder(base.resolve("/handshake/session"))
                              .header("Origin", base.toString())
                              .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(Fixtures.formFill10())))
                              .build(),
                          HttpResponse.BodyHandlers.ofByteArray())
                      .body())
              .orElseThrow();
      String sid = created.get("sessionId").stringValue();
      String token = created.get("token").stringValue();
      LinkedBlockingQueue<Long> doneAt = new LinkedBlockingQueue<>();
      WebSocket ws =
          http.newWebSocketBuilder()
              .buildAsync(
                  URI.create("ws://" + base.getAuthority() + "/ws/handshake/" + sid + "?token=" + token),
                  new WebSocket.Listener() {
                    private final StringBuilder message = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                      message.append(data);
                      if (last) {
                        if (message.indexOf("\"type\":\"done\"") >= 0) {
                          doneAt.add(System.nanoTime());
                        }
                        message.setLength(0);
                      }
                      w.request(1);
                      return null;
                    }
                  })
              .join();
      byte[] action = Json.bytes(Fixtures.action10(false));
      HttpRequest post =
          HttpRequest.newBuilder(base.resolve("/handshake/action/" + sid))
              .header("X-Handshake-Token", token)
              .POST(HttpRequest.BodyPublishers.ofByteArray(action))
              .build();
      int warmup = Math.min(1000, n / 5);
      long[] samples = new long[n];
      for (int i = 0; i < warmup + n; i++) {
        long t0 = System.nanoTime();
        HttpResponse<String> resp = http.send(post, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
          throw new IllegalStateException("action failed: " + resp.statusCode() + " " + resp.body());
        }
        Long t1 = doneAt.poll(5, TimeUnit.SECONDS);
        if (t1 == null) {
          throw new IllegalStateException("no done push within 5 s");
        }
        if (i >= warmup) {
          samples[i - warmup] = t1 - t0;
        }
      }
      ws.sendClose(1000, "").join();
      Arrays.sort(samples);
      System.out.printf(
          "pushes=%d p50=%.3f ms p99=%.3f ms max=%.3f ms%n",
          n, samples[n / 2] / 1e6, samples[(int) (n * 0.99)] / 1e6, samples[n - 1] / 1e6);
    }
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
