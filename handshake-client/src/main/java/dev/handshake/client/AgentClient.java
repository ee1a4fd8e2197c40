package dev.handshake.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The agent side of one HPP session (hpp.md §2.3, §2.9): reads the context, writes {@code set}
 * actions, reads the change log, extends and ends the session, sending exactly the reference
 * agent's headers ({@code Content-Type: application/json; charset=utf-8} and {@code
 * X-Handshake-Token}) with its 15 s timeout.
 *
 * <pre>{@code
 * try (AgentClient agent = AgentClient.create(Prompt.parse(text))) {
 *   JsonNode context = agent.context();
 *   JsonNode result = agent.action(Map.of("name", "Alice"));
 *   JsonNode later = agent.diffSinceSeq(lastSeq);
 * }
 * }</pre>
 *
 * <p>Every call returns the server's JSON answer. A non-2xx answer throws {@link
 * HandshakeException}; a transport failure throws {@link java.io.UncheckedIOException}. Instances
 * are thread-safe.
 */
public final class AgentClient implements AutoCloseable {
  /** The reference agent's path prefix; the reference CLI cannot change it. */
  public static final String DEFAULT_PREFIX = "/handshake";

  /** The reference agent's timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

  /** The reference agent's {@code stream} and {@code interval_ms} defaults. */
  private static final boolean DEFAULT_STREAM = true;

  private static final int DEFAULT_INTERVAL_MS = 300;

  private final String sessionId;
  private final SessionToken token;
  private final String root;
  private final HppTransport transport;

  private AgentClient(Builder b) {
    this.sessionId = b.sessionId;
    this.token = b.token;
    this.root =
        HppTransport.stripTrailingSlashes(b.baseUrl) + HppTransport.stripTrailingSlashes(b.prefix);
    URI.create(root + "/"); // fail here, not on the first call, when baseUrl is not a URL
    this.transport = new HppTransport(b.httpClient, b.timeout);
  }

  /** A client for the session a prompt describes, with the default prefix and timeout. */
  public static AgentClient create(Prompt prompt) {
    return builder(prompt).build();
  }

  /** A builder for the session a prompt describes. */
  public static Builder builder(Prompt prompt) {
    return new Builder(prompt.sessionId(), prompt.token(), prompt.baseUrl());
  }

  /** A builder from the three credentials, as the reference CLI's {@code --sid --token --base}. */
  public static Builder builder(String sessionId, SessionToken token, String baseUrl) {
    return new Builder(sessionId, token, baseUrl);
  }

  /** The session this client works on. */
  public String sessionId() {
    return sessionId;
  }

  /** {@code GET {prefix}/context/<sid>}: schema, current values and what is missing. */
  public JsonNode context() {
    return get("/context/" + segment());
  }

  /**
   * Writes one {@code set} action per entry, in the map's iteration order (use a {@link
   * java.util.LinkedHashMap} to control it), streamed with the reference's 300 ms interval.
   */
  public JsonNode action(Map<String, ? extends @Nullable Object> values) {
    return action(values, DEFAULT_STREAM, DEFAULT_INTERVAL_MS);
  }

  /** Writes one {@code set} action per entry with the given streaming settings. */
  public JsonNode action(
      Map<String, ? extends @Nullable Object> values, boolean stream, int intervalMs) {
    List<ObjectNode> actions =
        values.entrySet().stream().map(e -> setAction(e.getKey(), e.getValue())).toList();
    return action(actions, stream, intervalMs);
  }

  /**
   * {@code POST {prefix}/action/<sid>} with the given action objects as they are, e.g. from {@link
   * #setAction(String, Object)}.
   */
  public JsonNode action(List<? extends JsonNode> actions, boolean stream, int intervalMs) {
    ObjectNode body = HppTransport.JSON.createObjectNode();
    ArrayNode list = body.putArray("actions");
    actions.forEach(list::add);
    body.put("stream", stream);
    body.put("intervalMs", intervalMs);
    return post("/action/" + segment(), body);
  }

  /** The action object {@code {"type":"set","key":key,"value":value}}. */
  public static ObjectNode setAction(String key, @Nullable Object value) {
    ObjectNode action = HppTransport.JSON.createObjectNode();
    action.put("type", "set");
    action.put("key", key);
    action.set("value", toJson(value));
    return action;
  }

  /** {@code GET {prefix}/diff/<sid>}: the most recent changes. */
  public JsonNode diff() {
    return get("/diff/" + segment());
  }

  /**
   * {@code GET {prefix}/diff/<sid>?since=<iso>}: changes after a timestamp; pass a change's own
   * {@code at} to get everything after it. An empty {@code iso} is the same as {@link #diff()}.
   */
  public JsonNode diffSince(String iso) {
    if (iso.isEmpty()) {
      return diff();
    }
    return get("/diff/" + segment() + "?since=" + HppTransport.quote(iso, "/"));
  }

  /** {@code GET {prefix}/diff/<sid>?sinceSeq=<n>}: changes whose {@code seq} is greater. */
  public JsonNode diffSinceSeq(long seq) {
    return get("/diff/" + segment() + "?sinceSeq=" + seq);
  }

  /** {@code POST {prefix}/session/<sid>/extend} with {@code {"extraSeconds": seconds}}. */
  public JsonNode extend(long seconds) {
    ObjectNode body = HppTransport.JSON.createObjectNode();
    body.put("extraSeconds", seconds);
    return post("/session/" + segment() + "/extend", body);
  }

  /** {@code DELETE {prefix}/session/<sid>}: ends the session now. */
  public JsonNode end() {
    return transport.sendForJson(request("/session/" + segment()).DELETE().build());
  }

  private JsonNode get(String path) {
    return transport.sendForJson(request(path).GET().build());
  }

  private JsonNode post(String path, JsonNode body) {
    return transport.sendForJson(request(path).POST(HppTransport.body(body)).build());
  }

  private HttpRequest.Builder request(String path) {
    return transport
        .request(URI.create(root + path))
        .header("Content-Type", HppTransport.JSON_CONTENT_TYPE)
        .header("X-Handshake-Token", token.reveal());
  }

  private String segment() {
    return HppTransport.quote(sessionId, "");
  }

  static JsonNode toJson(@Nullable Object value) {
    if (value == null) {
      return HppTransport.JSON.getNodeFactory().nullNode();
    }
    return value instanceof JsonNode n ? n : HppTransport.JSON.valueToTree(value);
  }

  /** Closes the HTTP client if this instance created it. */
  @Override
  public void close() {
    transport.close();
  }

  @Override
  public String toString() {
    return "AgentClient[sessionId=" + sessionId + ", root=" + root + "]";
  }

  /** Builder for {@link AgentClient}; defaults are the reference agent's. */
  public static final class Builder {
    private final String sessionId;
    private final SessionToken token;
    private final String baseUrl;
    private String prefix = DEFAULT_PREFIX;
    private Duration timeout = DEFAULT_TIMEOUT;
    private @Nullable HttpClient httpClient;

    private Builder(String sessionId, SessionToken token, String baseUrl) {
      this.sessionId = sessionId;
      this.token = token;
      this.baseUrl = baseUrl;
    }

    /** The HTTP prefix, default {@code /handshake}; a trailing slash is stripped. */
    public Builder prefix(String prefix) {
      this.prefix = prefix;
      return this;
    }

    /** Per-request timeout, default 15 s. */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** A shared HTTP client (not closed by {@link AgentClient#close()}). */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = httpClient;
      return this;
    }

    /** A client with these settings; it owns (and closes) its HTTP client unless one was given. */
    public AgentClient build() {
      return new AgentClient(this);
    }
  }
}
