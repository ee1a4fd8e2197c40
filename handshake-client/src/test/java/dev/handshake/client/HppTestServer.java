package dev.handshake.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.handshake.session.HppResponse;
import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionEngine;
import dev.handshake.session.http.HppHttpApi;
import dev.handshake.session.http.HttpApiRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HPP engine behind the JDK's HttpServer on 127.0.0.1 (HTTP only), adapting each exchange to
 * {@link HppHttpApi#handle} and recording what the clients sent.
 */
final class HppTestServer implements AutoCloseable {
  /** One request as the server saw it; header names are as the JDK normalises them. */
  record Seen(String method, String path, Map<String, List<String>> headers) {
    Optional<String> header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream())
          .findFirst();
    }
  }

  private final SessionEngine engine;
  private final HttpServer server;
  private final ExecutorService executor;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  private HppTestServer(SessionConfig config) throws IOException {
    engine = SessionEngine.builder().config(config).build();
    HppHttpApi api = new HppHttpApi(engine, Optional.empty());
    executor = Executors.newFixedThreadPool(4);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext("/", exchange -> serve(api, exchange));
    server.start();
  }

  static HppTestServer start(SessionConfig config) throws IOException {
    return new HppTestServer(config);
  }

  static HppTestServer start() throws IOException {
    return start(SessionConfig.defaults());
  }

  /** {@code http://127.0.0.1:<port>}, the app root. */
  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  List<Seen> seen() {
    return List.copyOf(seen);
  }

  private void serve(HppHttpApi api, HttpExchange exchange) throws IOException {
    try (exchange) {
      URI uri = exchange.getRequestURI();
      seen.add(
          new Seen(
              exchange.getRequestMethod(),
              uri.getPath(),
              Map.copyOf(exchange.getRequestHeaders())));
      byte[] body = exchange.getRequestBody().readAllBytes();
      HttpApiRequest request =
          new HttpApiRequest(
              exchange.getRequestMethod(),
              uri.getPath(),
              uri.getRawQuery(),
              exchange.getRequestHeaders()::getFirst,
              body,
              exchange.getRemoteAddress().getAddress().getHostAddress());
      HppResponse response = api.handle(request).join();
      response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      exchange.getResponseHeaders().set("Content-Type", response.contentType());
      byte[] out = response.body();
      exchange.sendResponseHeaders(response.status(), out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        try (OutputStream os = exchange.getResponseBody()) {
          os.write(out);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    engine.close();
  }
}
