package dev.handshake.server.http;

import dev.handshake.server.ServerConfig;
import dev.handshake.session.HppResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** The pages outside the API: the demo/watch page at {@code /} and {@code /healthz}. */
final class StaticPages {
  private static final byte[] DEMO = load("/dev/handshake/server/demo.html");

  private StaticPages() {}

  static HppResponse serve(String path, String method, ServerConfig config) {
    if (path.equals("/healthz")) {
      return method.equals("GET")
          ? new HppResponse(200, HppResponse.JSON, "{\"ok\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of())
          : HppResponse.error(405, "method not allowed");
    }
    if (path.equals("/") && config.demoPage()) {
      if (!method.equals("GET")) {
        return HppResponse.error(405, "method not allowed");
      }
      return new HppResponse(200, "text/html; charset=utf-8", DEMO, Map.of("Cache-Control", "no-store"));
    }
    return HppResponse.error(404, "not found");
  }

  private static byte[] load(String resource) {
    try (InputStream in = StaticPages.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
