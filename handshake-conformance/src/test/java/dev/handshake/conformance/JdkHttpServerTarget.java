package dev.handshake.conformance;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.handshake.session.HppResponse;
import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionEngine;
import dev.handshake.session.SessionHooks;
import dev.handshake.session.http.HppHttpApi;
import dev.handshake.session.http.HttpApiRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP-only {@link HppTarget} on the JDK's {@code com.sun.net.httpserver}, so the suite can
 * run before the real servers exist. It has no WebSocket.
 */
final class JdkHttpServerTarget implements HppTarget {

  @Override
  public RunningServer start(SessionConfig config, SessionHooks hooks, Clock clock)
      throws IOException {
    SessionEngine engine =
        SessionEngine.builder().config(config).hooks(hooks).clock(clock).build().start();
    HppHttpApi api = new HppHttpApi(engine, Optional.empty());
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    server.setExecutor(pool);
    server.createContext("/", exchange -> handle(api, config, exchange));
    server.start();
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    return new RunningServer() {
      @Override
      public URI baseUri() {
        return base;
      }

      @Override
      public void close() {
        server.stop(0);
        pool.shutdownNow();
        try {
          pool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        engine.close();
      }
    };
  }

  private static void handle(HppHttpApi api, SessionConfig config, HttpExchange ex)
      throws IOException {
    try (ex) {
      byte[] body = readBounded(ex.getRequestBody(), config.maxBodyBytes() + 1);
      HttpApiRequest req =
          new HttpApiRequest(
              ex.getRequestMethod(),
              ex.getRequestURI().getPath(),
              ex.getRequestURI().getRawQuery(),
              name -> ex.getRequestHeaders().getFirst(name),
              body,
              ex.getRemoteAddress().getAddress().getHostAddress());
      HppResponse resp = api.handle(req).join();
      for (Map.Entry<String, String> h : resp.headers().entrySet()) {
        ex.getResponseHeaders().add(h.getKey(), h.getValue());
      }
      ex.getResponseHeaders().set("Content-Type", resp.contentType());
      byte[] out = resp.body();
      ex.sendResponseHeaders(resp.status(), out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        try (OutputStream os = ex.getResponseBody()) {
          os.write(out);
        }
      }
    }
  }

  /** Reads at most {@code limit} bytes and discards the rest of the body. */
  static byte[] readBounded(InputStream in, int limit) throws IOException {
    byte[] kept = in.readNBytes(limit);
    in.transferTo(OutputStream.nullOutputStream());
    return kept;
  }
}
