package dev.handshake.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One browser tab talking to an HPP server (hpp.md §2.3, §2.5), for tests and Java UIs: it creates
 * a session with an {@code Origin} header, keeps the {@code hs_bind} cookie the server sets for
 * {@link #notify}, fetches the prompt text to hand to an agent and opens the live WebSocket.
 *
 * <pre>{@code
 * try (BrowserClient browser = BrowserClient.of(URI.create("http://127.0.0.1:8080"))) {
 *   CreatedSession s = browser.create(body);
 *   String prompt = browser.prompt("Fill in the expense report");
 *   try (LiveListener live = browser.listen()) { ... }
 * }
 * }</pre>
 *
 * <p>The tab holds one session at a time: {@link #create} replaces the previous one, and every
 * other call needs a session. Errors are reported as by {@link AgentClient}.
 */
public final class BrowserClient implements AutoCloseable {
  private static final String BINDING_COOKIE = "hs_bind";

  private final URI baseUrl;
  private final String root;
  private final String wsRoot;
  private final @Nullable String origin;
  private final HppTransport transport;
  private volatile @Nullable Tab tab;

  /** The session this tab created and the binding cookie that came with it. */
  private record Tab(CreatedSession session, @Nullable String bindingCookie) {}

  private BrowserClient(Builder b) {
    String scheme = b.baseUrl.getScheme();
    if (b.baseUrl.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
      throw new IllegalArgumentException("baseUrl must be an absolute http(s) URL");
    }
    this.baseUrl = b.baseUrl;
    String base = HppTransport.stripTrailingSlashes(b.baseUrl.toString());
    this.root = base + HppTransport.stripTrailingSlashes(b.prefix);
    this.wsRoot = base.replaceFirst("^http", "ws") + HppTransport.stripTrailingSlashes(b.wsPrefix);
    this.origin = !b.sendOrigin ? null : b.origin != null ? b.origin : ownOrigin(b.baseUrl);
    this.transport = new HppTransport(b.httpClient, b.timeout);
  }

  /** A tab on the server at {@code baseUrl} (its root) with every default. */
  public static BrowserClient of(URI baseUrl) {
    return builder(baseUrl).build();
  }

  /** A builder for a tab on the server at {@code baseUrl} (its root, with no HPP prefix). */
  public static Builder builder(URI baseUrl) {
    return new Builder(baseUrl);
  }

  /** {@code scheme://host[:port]} of the server, which a same-origin page sends. */
  private static String ownOrigin(URI u) {
    return u.getScheme() + "://" + u.getHost() + (u.getPort() == -1 ? "" : ":" + u.getPort());
  }

  /**
   * {@code POST {prefix}/session}: creates a session (hpp.md §2.3.1) and makes it this tab's.
   *
   * @param body {@code mode}, {@code schema}, {@code context}, {@code data}, {@code meta}; all
   *     optional
   */
  public CreatedSession create(ObjectNode body) {
    HttpRequest.Builder req =
        browserRequest(root + "/session")
            .header("Content-Type", HppTransport.JSON_CONTENT_TYPE)
            .POST(HppTransport.body(body));
    HttpResponse<byte[]> response = transport.send(req.build());
    HppTransport.requireSuccess(response);
    JsonNode json = HppTransport.parse(response.body()).orElse(HppTransport.JSON.missingNode());
    JsonNode sid = json.path("sessionId");
    JsonNode token = json.path("token");
    if (!sid.isString() || !token.isString() || sid.stringValue().isEmpty()) {
      throw new HandshakeException(
          response.statusCode(), "create response lacks sessionId or token", null, null);
    }
    CreatedSession created =
        new CreatedSession(
            sid.stringValue(),
            SessionToken.of(token.stringValue()),
            json.path("wsUrl").asString(""),
            json.path("expiresIn").asLong(0));
    tab = new Tab(created, bindingCookie(response).orElse(null));
    return created;
  }

  private static Optional<String> bindingCookie(HttpResponse<?> response) {
    for (String header : response.headers().allValues("Set-Cookie")) {
      String pair = header.split(";", 2)[0];
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).trim().equals(BINDING_COOKIE)) {
        return Optional.of(pair.substring(eq + 1).trim());
      }
    }
    return Optional.empty();
  }

  /** The session this tab created last. */
  public Optional<CreatedSession> session() {
    Tab t = tab;
    return t == null ? Optional.empty() : Optional.of(t.session());
  }

  /**
   * {@code POST {prefix}/notify/<sid>}: reports a user edit over HTTP (hpp.md §2.3.4), with the
   * binding cookie and {@code Origin} a browser would send.
   */
  public JsonNode notify(String key, @Nullable Object value) {
    Tab t = requireTab();
    ObjectNode body = HppTransport.JSON.createObjectNode();
    body.put("key", key);
    body.set("value", AgentClient.toJson(value));
    HttpRequest.Builder req =
        browserRequest(root + "/notify/" + segment(t))
            .header("Content-Type", HppTransport.JSON_CONTENT_TYPE)
            .POST(HppTransport.body(body));
    if (t.bindingCookie() != null) {
      req.header("Cookie", BINDING_COOKIE + "=" + t.bindingCookie());
    }
    return transport.sendForJson(req.build());
  }

  /** {@code GET {prefix}/prompt/<sid>}: the prompt text to paste to an agent. */
  public String prompt() {
    return fetchPrompt(Optional.empty());
  }

  /** {@code GET {prefix}/prompt/<sid>?instructions=...}: the prompt with a task for the agent. */
  public String prompt(String instructions) {
    return fetchPrompt(Optional.of(instructions));
  }

  private String fetchPrompt(Optional<String> instructions) {
    Tab t = requireTab();
    String query = instructions.map(i -> "?instructions=" + HppTransport.quote(i, "")).orElse("");
    HttpRequest req =
        transport
            .request(URI.create(root + "/prompt/" + segment(t) + query))
            .header("X-Handshake-Token", t.session().token().reveal())
            .GET()
            .build();
    HttpResponse<byte[]> response = transport.send(req);
    HppTransport.requireSuccess(response);
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  /** {@code DELETE {prefix}/session/<sid>}: ends this tab's session. */
  public JsonNode end() {
    Tab t = requireTab();
    HttpRequest req =
        browserRequest(root + "/session/" + segment(t))
            .header("X-Handshake-Token", t.session().token().reveal())
            .DELETE()
            .build();
    return transport.sendForJson(req);
  }

  /** Opens the live WebSocket with the token in the query, as the reference browser SDK does. */
  public LiveListener listen() {
    return listen(LiveListener.TokenPlacement.QUERY);
  }

  /**
   * Opens the live WebSocket {@code {ws_prefix}/<sid>} (hpp.md §2.5). The server accepts the
   * upgrade even for a bad token and then sends {@code error} and closes, which the listener
   * records.
   *
   * @throws HandshakeException when the server refuses the upgrade itself
   */
  public LiveListener listen(LiveListener.TokenPlacement placement) {
    Tab t = requireTab();
    String token = t.session().token().reveal();
    String url = wsRoot + "/" + segment(t);
    if (placement == LiveListener.TokenPlacement.QUERY) {
      url += "?token=" + HppTransport.quote(token, "");
    }
    List<String> subprotocols =
        placement == LiveListener.TokenPlacement.SUBPROTOCOL
            ? List.of("hpp", "hpp.token." + token)
            : List.of();
    return LiveListener.open(
        transport.client(),
        URI.create(url),
        Optional.ofNullable(origin),
        subprotocols,
        transport.timeout());
  }

  private HttpRequest.Builder browserRequest(String url) {
    HttpRequest.Builder b = transport.request(URI.create(url));
    if (origin != null) {
      b.header("Origin", origin);
    }
    return b;
  }

  private Tab requireTab() {
    Tab t = tab;
    if (t == null) {
      throw new IllegalStateException("no session yet: call create() first");
    }
    return t;
  }

  private static String segment(Tab t) {
    return HppTransport.quote(t.session().sessionId(), "");
  }

  /** Closes the HTTP client if this instance created it. */
  @Override
  public void close() {
    transport.close();
  }

  @Override
  public String toString() {
    String sid = session().map(CreatedSession::sessionId).orElse("none");
    return "BrowserClient[" + baseUrl + ", session=" + sid + "]";
  }

  /** Builder for {@link BrowserClient}. */
  public static final class Builder {
    private final URI baseUrl;
    private String prefix = AgentClient.DEFAULT_PREFIX;
    private String wsPrefix = "/ws/handshake";
    private @Nullable String origin;
    private boolean sendOrigin = true;
    private Duration timeout = AgentClient.DEFAULT_TIMEOUT;
    private @Nullable HttpClient httpClient;

    private Builder(URI baseUrl) {
      this.baseUrl = baseUrl;
    }

    /** The HTTP prefix, default {@code /handshake}. */
    public Builder prefix(String prefix) {
      this.prefix = prefix;
      return this;
    }

    /** The WebSocket prefix, default {@code /ws/handshake}. */
    public Builder wsPrefix(String wsPrefix) {
      this.wsPrefix = wsPrefix;
      return this;
    }

    /** The {@code Origin} to send; default the server's own origin (a same-origin page). */
    public Builder origin(String origin) {
      this.origin = origin;
      this.sendOrigin = true;
      return this;
    }

    /** Sends no {@code Origin} at all, as a non-browser caller would. */
    public Builder withoutOrigin() {
      this.origin = null;
      this.sendOrigin = false;
      return this;
    }

    /** Per-request timeout, default 15 s. */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** A shared HTTP client (not closed by {@link BrowserClient#close()}). */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = httpClient;
      return this;
    }

    /**
     * A tab with these settings.
     *
     * @throws IllegalArgumentException when the base URL is not an absolute http(s) URL
     */
    public BrowserClient build() {
      return new BrowserClient(this);
    }
  }
}
