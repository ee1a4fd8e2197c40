package dev.handshake.session.http;

import dev.handshake.json.Json;
import dev.handshake.session.HppResponse;
import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionEngine;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Routes HTTP requests to the {@link SessionEngine} (hpp.md §2.3) with exactly the reference's
 * paths and shapes, and our rules for everything the reference got wrong: JSON 404/405/413 instead
 * of HTML pages, {@code Cache-Control: no-store}, and CORS only for allowlisted origins.
 */
public final class HppHttpApi {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HppHttpApi.class);
  private final SessionEngine engine;
  private final SessionConfig config;
  private final Optional<String> publicBaseUrl;

  /**
   * @param publicBaseUrl the base URL printed in prompts; when empty, {@code http://<Host>}
   */
  public HppHttpApi(SessionEngine engine, Optional<String> publicBaseUrl) {
    this.engine = engine;
    this.config = engine.config();
    this.publicBaseUrl = publicBaseUrl;
  }

  public SessionEngine engine() {
    return engine;
  }

  /** Whether {@code path} belongs to the HTTP API (under the prefix). */
  public boolean handles(String path) {
    return path.startsWith(config.prefix() + "/") || path.equals(config.prefix());
  }

  /** The session id if {@code path} is a WebSocket path ({@code {ws_prefix}/<sid>}). */
  public Optional<String> webSocketSession(String path) {
    String p = config.wsPrefix() + "/";
    if (path.startsWith(p) && path.length() > p.length() && path.indexOf('/', p.length()) < 0) {
      return Optional.of(path.substring(p.length()));
    }
    return Optional.empty();
  }

  /** Handles one request; never completes exceptionally. */
  public CompletableFuture<HppResponse> handle(HttpApiRequest request) {
    CompletableFuture<HppResponse> r;
    try {
      r = route(request);
    } catch (RuntimeException e) {
      r = CompletableFuture.completedFuture(failure(e));
    }
    return r.exceptionally(HppHttpApi::failure).thenApply(resp -> decorate(request, resp));
  }

  /**
   * A shared store (Redis, PostgreSQL) that cannot be reached is a 503 the client may retry;
   * anything else is our bug: 500, logged with its stack.
   */
  private static HppResponse failure(Throwable e) {
    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
        ? e.getCause() : e;
    if (cause instanceof dev.handshake.store.StoreUnavailableException u) {
      LOG.warn("request failed: {}", u.getMessage());
      return HppResponse.error(503, "session store unavailable; retry shortly");
    }
    LOG.error("request failed", e);
    return HppResponse.error(500, "internal error");
  }

  private CompletableFuture<HppResponse> route(HttpApiRequest req) {
    String path = req.path();
    String method = req.method();
    String prefix = config.prefix();
    if (!path.startsWith(prefix + "/")) {
      return done(HppResponse.error(404, "not found"));
    }
    String[] parts = path.substring(prefix.length() + 1).split("/", -1);
    Route route = Route.match(parts);
    if (route == null) {
      return done(HppResponse.error(404, "not found"));
    }
    if (method.equals("OPTIONS")) {
      return done(preflight(req));
    }
    if (!route.allows(method)) {
      return done(HppResponse.error(405, "method not allowed"));
    }
    if (req.body().length > config.maxBodyBytes()) {
      return done(HppResponse.error(413, "request body too large"));
    }
    String sid = parts.length > 1 ? parts[1] : "";
    return switch (route) {
      case CREATE -> withBody(req, body -> engine.create(body, req));
      case CONTEXT -> done(engine.context(sid, req));
      case DIFF -> done(engine.diff(sid, req));
      case PROMPT -> done(engine.prompt(sid, req, baseUrl(req)));
      case ACTION -> {
        Optional<ObjectNode> body = parseBody(req.body());
        yield body.isEmpty() ? done(notAnObject()) : engine.action(sid, body.get(), req);
      }
      case NOTIFY -> withBody(req, body -> engine.notify(sid, body, req));
      case END -> done(engine.delete(sid, req));
      case EXTEND -> withBody(req, body -> engine.extend(sid, body, req));
    };
  }

  private CompletableFuture<HppResponse> withBody(
      HttpApiRequest req, java.util.function.Function<ObjectNode, HppResponse> call) {
    Optional<ObjectNode> body = parseBody(req.body());
    return done(body.isEmpty() ? notAnObject() : call.apply(body.get()));
  }

  private static HppResponse notAnObject() {
    return HppResponse.error(400, "request body must be a JSON object");
  }

  /**
   * The reference reads {@code request.get_json(silent=True) or {}}: a body that is not JSON, or
   * any falsy JSON value, is {@code {}}. Other non-objects are our 400 (empty here).
   */
  static Optional<ObjectNode> parseBody(byte[] bytes) {
    Optional<JsonNode> parsed = Json.tryParse(bytes);
    if (parsed.isEmpty() || !Json.truthy(parsed.get())) {
      return Optional.of(Json.object());
    }
    JsonNode n = parsed.get();
    return n.isObject() ? Optional.of((ObjectNode) n) : Optional.empty();
  }

  private String baseUrl(HttpApiRequest req) {
    return publicBaseUrl.orElseGet(() -> "http://" + req.header("Host").orElse("127.0.0.1"));
  }

  private HppResponse preflight(HttpApiRequest req) {
    Optional<String> origin = req.header("Origin");
    if (origin.isPresent() && corsAllowed(origin.get())) {
      return new HppResponse(204, HppResponse.JSON, new byte[0], java.util.Map.of())
          .withHeader("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS")
          .withHeader("Access-Control-Allow-Headers", "Content-Type, X-Handshake-Token")
          .withHeader("Access-Control-Max-Age", "600");
    }
    return HppResponse.error(403, "origin not allowed");
  }

  private boolean corsAllowed(String origin) {
    return config.corsAllowedOrigins().stream().anyMatch(a -> a.equalsIgnoreCase(origin.trim()));
  }

  private HppResponse decorate(HttpApiRequest req, HppResponse resp) {
    HppResponse r = resp.withHeader("Cache-Control", "no-store");
    Optional<String> origin = req.header("Origin");
    if (origin.isPresent() && corsAllowed(origin.get())) {
      r =
          r.withHeader("Access-Control-Allow-Origin", origin.get().trim())
              .withHeader("Access-Control-Allow-Credentials", "true")
              .withHeader("Vary", "Origin");
    }
    return r;
  }

  private static CompletableFuture<HppResponse> done(HppResponse r) {
    return CompletableFuture.completedFuture(r);
  }

  /** The endpoints under the prefix and the methods each takes. */
  private enum Route {
    CREATE("POST"),
    CONTEXT("GET"),
    ACTION("POST"),
    NOTIFY("POST"),
    DIFF("GET"),
    PROMPT("GET"),
    END("DELETE"),
    EXTEND("POST");

    private final String[] methods;

    Route(String... methods) {
      this.methods = methods;
    }

    boolean allows(String method) {
      for (String m : methods) {
        if (m.equals(method)) {
          return true;
        }
      }
      return false;
    }

    static @org.jspecify.annotations.Nullable Route match(String[] p) {
      if (p.length == 1 && p[0].equals("session")) {
        return CREATE;
      }
      if (p.length == 2 && !p[1].isEmpty()) {
        return switch (p[0]) {
          case "context" -> CONTEXT;
          case "action" -> ACTION;
          case "notify" -> NOTIFY;
          case "diff" -> DIFF;
          case "prompt" -> PROMPT;
          case "session" -> END; // DELETE {prefix}/session/<sid>
          default -> null;
        };
      }
      if (p.length == 3 && p[0].equals("session") && !p[1].isEmpty() && p[2].equals("extend")) {
        return EXTEND;
      }
      return null;
    }
  }
}
