package dev.handshake.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.session.SessionConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * A running server under test, with the calls a browser and an agent make. Browser calls (create,
 * notify) send the server's own {@code Origin}, as a same-origin page does, and notify sends back
 * the {@code hs_bind} cookie from create. Agent calls send {@code X-Handshake-Token}.
 */
public final class HppServer implements AutoCloseable {
  private final HppTarget.RunningServer running;
  private final SessionConfig config;
  private final HppHttp http;
  private final List<WsTestClient> sockets = new ArrayList<>();

  public HppServer(HppTarget.RunningServer running, SessionConfig config) {
    this.running = running;
    this.config = config;
    this.http = new HppHttp(running.baseUri());
  }

  public URI baseUri() {
    return running.baseUri();
  }

  /** The base URI without a trailing slash, e.g. {@code http://127.0.0.1:PORT}. */
  public String baseUrl() {
    String s = running.baseUri().toString();
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /** This server's own origin, as a same-origin page sends it. */
  public String origin() {
    URI u = running.baseUri();
    return u.getScheme() + "://" + u.getHost() + ":" + u.getPort();
  }

  public SessionConfig config() {
    return config;
  }

  public HppHttp http() {
    return http;
  }

  /** {@code config.prefix() + "/" + endpoint + "/" + sid}. */
  public String path(String endpoint, String sid) {
    return config.prefix() + "/" + endpoint + "/" + sid;
  }

  public HppHttp.Request request(String method, String pathAndQuery) {
    return http.request(method, pathAndQuery);
  }

  // ---- create -----------------------------------------------------------------------------

  /** {@code POST {prefix}/session} as a same-origin page sends it. */
  public HttpReply create(String body) {
    return request("POST", config.prefix() + "/session").header("Origin", origin()).body(body).send();
  }

  /** {@code POST {prefix}/session} with no {@code Origin} (a non-browser caller). */
  public HttpReply createWithoutOrigin(String body) {
    return request("POST", config.prefix() + "/session").body(body).send();
  }

  /** Creates a session as a same-origin page does; fails the test unless it answers 200. */
  public BrowserSession createSession(String body) {
    return session(create(body));
  }

  /** A default-mode session with no data. */
  public BrowserSession defaultSession() {
    return createSession("{}");
  }

  /** A form-fill session with this schema (a JSON list) and context (a JSON object). */
  public BrowserSession formFill(String schema, String context) {
    return createSession(
        "{\"mode\":\"form-fill\",\"schema\":" + schema + ",\"context\":" + context + "}");
  }

  /** Turns a create reply into a session; fails the test unless it is a 200. */
  public static BrowserSession session(HttpReply r) {
    assertThat(r.status()).as("create must succeed: %s", r).isEqualTo(200);
    ObjectNode o = r.object();
    Optional<String> setCookie =
        r.headerValues("Set-Cookie").stream().filter(c -> c.trim().startsWith("hs_bind=")).findFirst();
    Optional<String> cookie =
        setCookie.map(
            c -> {
              String v = c.trim().substring("hs_bind=".length());
              int semi = v.indexOf(';');
              return semi < 0 ? v : v.substring(0, semi);
            });
    return new BrowserSession(
        o.path("sessionId").asString(), o.path("token").asString(), cookie, setCookie, o);
  }

  // ---- agent calls ------------------------------------------------------------------------

  public HttpReply context(BrowserSession s) {
    return request("GET", path("context", s.sid())).token(s.token()).send();
  }

  /** The context of a live session; fails the test unless it answers 200. */
  public ObjectNode contextOk(BrowserSession s) {
    HttpReply r = context(s);
    assertThat(r.status()).as("context must answer 200: %s", r).isEqualTo(200);
    return r.object();
  }

  public HttpReply action(BrowserSession s, String body) {
    return request("POST", path("action", s.sid())).token(s.token()).body(body).send();
  }

  /** An action request that must answer 200. */
  public ObjectNode actionOk(BrowserSession s, String body) {
    HttpReply r = action(s, body);
    assertThat(r.status()).as("action must answer 200: %s", r).isEqualTo(200);
    return r.object();
  }

  /** {@code GET diff}; {@code rawQuery} is appended after {@code ?} when not empty. */
  public HttpReply diff(BrowserSession s, String rawQuery) {
    String q = rawQuery.isEmpty() ? "" : "?" + rawQuery;
    return request("GET", path("diff", s.sid()) + q).token(s.token()).send();
  }

  /** A diff that must answer 200. */
  public ObjectNode diffOk(BrowserSession s, String rawQuery) {
    HttpReply r = diff(s, rawQuery);
    assertThat(r.status()).as("diff must answer 200: %s", r).isEqualTo(200);
    return r.object();
  }

  public HttpReply extend(BrowserSession s, String body) {
    return request("POST", config.prefix() + "/session/" + s.sid() + "/extend")
        .token(s.token())
        .body(body)
        .send();
  }

  public HttpReply delete(BrowserSession s) {
    return request("DELETE", config.prefix() + "/session/" + s.sid()).token(s.token()).send();
  }

  public HttpReply prompt(BrowserSession s) {
    return request("GET", path("prompt", s.sid())).token(s.token()).send();
  }

  // ---- browser calls ----------------------------------------------------------------------

  /** {@code POST notify} as the creating page sends it: own Origin plus the binding cookie. */
  public HttpReply notify(BrowserSession s, String body) {
    HppHttp.Request r = request("POST", path("notify", s.sid())).header("Origin", origin());
    s.cookieHeader().ifPresent(c -> r.header("Cookie", c));
    return r.body(body).send();
  }

  /** A notify that must answer 200. */
  public void notifyOk(BrowserSession s, String body) {
    HttpReply r = notify(s, body);
    assertThat(r.status()).as("notify must answer 200: %s", r).isEqualTo(200);
  }

  /** Opens the browser's live channel with {@code ?token=} (raw token, as the JS SDK does). */
  public WsTestClient ws(BrowserSession s) {
    return ws(s.sid() + "?token=" + s.token(), List.of(), Map.of());
  }

  /**
   * Opens a WebSocket to {@code {ws_prefix}/<sidPathAndQuery>}; closed automatically with the
   * server.
   */
  public WsTestClient ws(String sidPathAndQuery, List<String> subprotocols, Map<String, String> headers) {
    URI u = running.baseUri();
    URI ws = URI.create("ws://" + u.getHost() + ":" + u.getPort() + config.wsPrefix() + "/" + sidPathAndQuery);
    WsTestClient c = WsTestClient.connect(http.client(), ws, subprotocols, headers);
    synchronized (sockets) {
      sockets.add(c);
    }
    return c;
  }

  public static String urlEncode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    synchronized (sockets) {
      sockets.forEach(WsTestClient::close);
    }
    http.close();
    running.close();
  }
}
