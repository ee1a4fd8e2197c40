package dev.handshake.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.json.Json;
import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionHooks;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.JsonNode;

/**
 * Shared fixture of the conformance suite (hpp.md §4). A subclass names the adapter under test by
 * implementing {@link #target()}; every test starts its own server with the config it needs, on a
 * {@link MutableClock} that stands still at {@link #START} until the test moves it.
 *
 * <pre>{@code
 * class NettyCreateTest extends CreateConformance {
 *   @Override protected HppTarget target() { return new NettyTarget(); }
 * }
 * }</pre>
 */
public abstract class HppConformanceBase {
  /** Where every test's clock starts (a non-zero fraction, so {@code at} shows microseconds). */
  public static final Instant START = Instant.parse("2026-06-23T02:22:00.250Z");

  /** The JSON media type every handled response must declare. */
  public static final String JSON_TYPE = "application/json";

  /** ISO 8601 in UTC with {@code +00:00}, microseconds when non-zero (hpp.md §2.4, §3 item 9). */
  public static final String AT_PATTERN =
      "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{6})?\\+00:00$";

  /** The clock of the servers this test starts. */
  protected MutableClock clock;

  private final List<HppServer> servers = new ArrayList<>();

  /** The adapter under test. */
  protected abstract HppTarget target();

  /** Whether the adapter serves the WebSocket; WebSocket tests are skipped when it does not. */
  protected boolean supportsWebSocket() {
    return true;
  }

  @BeforeEach
  final void newClock() {
    clock = new MutableClock(START);
  }

  @AfterEach
  final void stopServers() {
    for (int i = servers.size() - 1; i >= 0; i--) {
      servers.get(i).close();
    }
    servers.clear();
  }

  /** Starts a server with this config and no hooks. */
  protected HppServer start(SessionConfig config) {
    return start(config, SessionHooks.none());
  }

  /** Starts a server with the unmodified profile config. */
  protected HppServer start(Profile profile) {
    return start(profile.config());
  }

  /** Starts a server; it is stopped after the test. */
  protected HppServer start(SessionConfig config, SessionHooks hooks) {
    HppTarget.RunningServer running;
    try {
      running = target().start(config, hooks, clock);
    } catch (Exception e) {
      throw new IllegalStateException("the target could not start a server", e);
    }
    HppServer s = new HppServer(running, config);
    servers.add(s);
    return s;
  }

  /** Skips the calling test when the adapter has no WebSocket. */
  protected void assumeWebSocket() {
    Assumptions.assumeTrue(supportsWebSocket(), "this target does not serve the WebSocket");
  }

  /** Moves the servers' clock. */
  protected void advance(Duration d) {
    clock.advance(d);
  }

  // ---- JSON and assertion helpers ---------------------------------------------------------

  /** Parses JSON text (for expected values). */
  protected static JsonNode json(String text) {
    return Json.mapper().readTree(text);
  }

  /** The names of an object's fields, in order. */
  protected static Set<String> keys(JsonNode object) {
    Set<String> names = new LinkedHashSet<>();
    object.propertyNames().forEach(names::add);
    return names;
  }

  /** The string elements of a JSON array. */
  protected static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.isString() ? n.stringValue() : n.toString()));
    return out;
  }

  /** The response is {@code status} with exactly {@code {"error": message}} as JSON. */
  protected static void assertError(HttpReply r, int status, String message) {
    assertThat(r.status()).as("status of %s", r).isEqualTo(status);
    assertJson(r);
    assertThat(r.json())
        .as("error body of %s", r)
        .isEqualTo(Json.object().put("error", message));
  }

  /** The response declares {@code application/json}, parses as JSON and is not HTML. */
  protected static void assertJson(HttpReply r) {
    assertThat(r.looksLikeHtml()).as("response must never be HTML: %s", r).isFalse();
    assertThat(r.declaresJson()).as("Content-Type must be application/json: %s", r).isTrue();
    r.json();
  }

  /** A {@code Retry-After} header with a positive number of seconds. */
  protected static long retryAfter(HttpReply r) {
    String v = r.header("Retry-After").orElse(null);
    assertThat(v).as("429 must carry Retry-After: %s", r).isNotNull();
    assertThat(v).as("Retry-After must be delta-seconds").matches("\\d+");
    long s = Long.parseLong(v);
    assertThat(s).as("Retry-After seconds").isPositive();
    return s;
  }

  /** A JSON object with string fields {@code k1, v1, k2, v2, ...}. */
  protected static JsonNode obj(Object... kv) {
    var o = Json.object();
    for (int i = 0; i < kv.length; i += 2) {
      o.set((String) kv[i], Json.mapper().valueToTree(kv[i + 1]));
    }
    return o;
  }
}
