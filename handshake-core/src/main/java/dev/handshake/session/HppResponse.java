package dev.handshake.session;

import dev.handshake.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A transport-free HTTP response: status, content type, body and extra headers. Every error is
 * JSON {@code {"error": "..."}} (hpp.md §2.2, §3 item 8).
 */
public record HppResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
  public static final String JSON = "application/json";

  public HppResponse {
    headers = Map.copyOf(headers);
  }

  public static HppResponse json(int status, JsonNode body) {
    return new HppResponse(status, JSON, Json.bytes(body), Map.of());
  }

  public static HppResponse error(int status, String message) {
    ObjectNode n = Json.object();
    n.put("error", message);
    return json(status, n);
  }

  /** 429 {@code rate limit exceeded} with {@code Retry-After} (hpp.md §3 item 14). */
  public static HppResponse rateLimited(long retryAfterSeconds) {
    return error(429, "rate limit exceeded")
        .withHeader("Retry-After", Long.toString(retryAfterSeconds));
  }

  public static HppResponse text(int status, String text) {
    return new HppResponse(
        status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  public HppResponse withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new HppResponse(status, contentType, body, h);
  }

  /** The body as text (tests and logs of non-secret responses). */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
