package dev.handshake.session;

import dev.handshake.crypto.BearerSecret;
import dev.handshake.crypto.SecretDigest;
import dev.handshake.json.Json;
import dev.handshake.store.InMemoryRateLimiter;
import dev.handshake.store.RateLimiter;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The transport-free engine of the Handshake Prompt Protocol (hpp.md). Each public method is one
 * endpoint: it takes the parsed request and returns the response the spec prescribes. The Netty
 * server, the Servlet adapter and tests all drive this one engine through {@link
 * dev.handshake.session.http.HppHttpApi}.
 *
 * <pre>{@code
 * SessionEngine engine = SessionEngine.builder().config(SessionConfig.defaults()).build();
 * engine.start(); // expiry sweeper
 * }</pre>
 */
public final class SessionEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SessionEngine.class);
  static final String BINDING_COOKIE = "hs_bind";
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final JsonNode DEFAULT_MODE_NODE = Json.nodes().stringNode(DefaultMode.NAME);
  private static final JsonNode FORM_FILL_MODE_NODE = Json.nodes().stringNode(FormFillMode.NAME);
  private static final String EXPIRED_JSON = "{\"type\":\"expired\"}";

  final SessionConfig config;
  final SessionStore store;
  final SessionEventBus bus;
  final RateLimiter limiter;
  final SessionHooks hooks;
  final Clock clock;
  private final SecureRandom random;
  private final Map<String, ModeHandler> modes;
  final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private @Nullable ScheduledFuture<?> sweeper;

  private SessionEngine(Builder b) {
    config = b.config;
    clock = b.clock;
    store = b.store != null ? b.store : new InMemorySessionStore();
    bus = b.bus != null ? b.bus : new InMemorySessionEventBus();
    limiter = b.limiter != null ? b.limiter : new InMemoryRateLimiter(clock);
    hooks = b.hooks;
    random = b.random;
    modes = Map.copyOf(b.modes);
    ownsScheduler = b.scheduler == null;
    scheduler =
        b.scheduler != null
            ? b.scheduler
            : Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().daemon().name("hpp-scheduler").unstarted(r));
  }

  /** Whether the session store is remote (see {@link SessionStore#remote()}). */
  public boolean storeIsRemote() {
    return store.remote();
  }

  public static Builder builder() {
    return new Builder();
  }

  public SessionConfig config() {
    return config;
  }

  public SessionEventBus eventBus() {
    return bus;
  }

  /** Starts the periodic removal of expired sessions (which closes their sockets). */
  public synchronized SessionEngine start() {
    if (sweeper == null) {
      long ms = Math.max(10, config.sweepInterval().toMillis());
      sweeper = scheduler.scheduleWithFixedDelay(this::sweepSafely, ms, ms, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  private void sweepSafely() {
    try {
      sweepExpired();
    } catch (RuntimeException e) {
      LOG.warn("session sweep failed", e);
    }
  }

  /** Removes expired sessions now and tells their sockets; returns how many were removed. */
  public int sweepExpired() {
    long now = nowMicros();
    List<String> gone = store.removeIf(s -> expired(s, now));
    gone.forEach(this::announceExpiry);
    limiter.sweep();
    return gone.size();
  }

  @Override
  public synchronized void close() {
    if (sweeper != null) {
      sweeper.cancel(false);
      sweeper = null;
    }
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
  }

  long nowMicros() {
    return Timestamps.micros(clock.instant());
  }

  // ---- expiry ---------------------------------------------------------------------------------

  boolean expired(SessionState s, long now) {
    if (now - s.touchedAtMicros() > s.ttlSeconds() * 1_000_000L) {
      return true;
    }
    return config.maxSessionLifetime().isPresent() && now > deadline(s);
  }

  private long deadline(SessionState s) {
    return s.createdAtMicros() + config.maxSessionLifetime().orElseThrow().toNanos() / 1000;
  }

  /** Remaining seconds, truncated toward zero, as the reference computes {@code expiresIn}. */
  long expiresIn(SessionState s, long now) {
    long remaining = s.ttlSeconds() * 1_000_000L - (now - s.touchedAtMicros());
    if (config.maxSessionLifetime().isPresent()) {
      remaining = Math.min(remaining, deadline(s) - now);
    }
    return Math.max(0, remaining / 1_000_000L);
  }

  void announceExpiry(String sid) {
    bus.publish(sid, new SessionEvent(SessionEvent.Kind.EXPIRED, EXPIRED_JSON));
  }

  /**
   * Runs {@code body} with exclusive access to a live session. Expired sessions are removed and
   * answered 404, as are unknown ids.
   */
  HppResponse withSession(String sid, java.util.function.BiFunction<SessionState, Long, HppResponse> body) {
    Object[] expiredFlag = new Object[1];
    Optional<HppResponse> r =
        store.update(
            sid,
            s -> {
              long now = nowMicros();
              if (expired(s, now)) {
                expiredFlag[0] = Boolean.TRUE;
                return null;
              }
              if (config.refreshOnLookup()) {
                s.touch(now);
              }
              return body.apply(s, now);
            });
    if (expiredFlag[0] != null && store.remove(sid)) {
      announceExpiry(sid);
    }
    return r.orElseGet(() -> HppResponse.error(404, "session not found or expired"));
  }

  // ---- authentication -------------------------------------------------------------------------

  /** The agent token of an HTTP request: a non-empty header wins, then (if allowed) the query. */
  Optional<String> httpToken(RequestInfo request) {
    Optional<String> header = request.header("X-Handshake-Token").filter(h -> !h.isEmpty());
    if (header.isPresent()) {
      return header;
    }
    if (config.allowQueryToken()) {
      return request.queryParameter("token");
    }
    return Optional.empty();
  }

  /** Null when {@code token} authenticates for {@code s}; else the 403 or 429 to answer. */
  @Nullable HppResponse authenticate(SessionState s, Optional<String> token, RequestInfo request, long now) {
    int limit = config.failedAuthPerMinute();
    String sidKey = "authfail:sid:" + s.id();
    String addrKey = "authfail:addr:" + request.clientAddress();
    if (limit > 0) {
      for (String key : List.of(sidKey, addrKey)) {
        if (limiter.peek(key, limit, MINUTE) instanceof RateLimiter.Decision.Limited l) {
          return HppResponse.rateLimited(l.retryAfterSeconds());
        }
      }
    }
    if (token.isPresent() && s.token().matches(token.get())) {
      s.touch(now);
      return null;
    }
    if (limit > 0) {
      limiter.record(sidKey, MINUTE);
      limiter.record(addrKey, MINUTE);
    }
    return HppResponse.error(403, "invalid token");
  }

  @Nullable HppResponse rateLimit(SessionState s) {
    if (config.rateLimitPerMinute() <= 0) {
      return null;
    }
    if (limiter.tryAcquire("hpp:" + s.id(), config.rateLimitPerMinute(), MINUTE)
        instanceof RateLimiter.Decision.Limited l) {
      return HppResponse.rateLimited(l.retryAfterSeconds());
    }
    return null;
  }

  // ---- create ---------------------------------------------------------------------------------

  /** {@code POST {prefix}/session} (hpp.md §2.3.1). */
  public HppResponse create(ObjectNode body, RequestInfo request) {
    HppResponse refused = checkCreateAllowed(request);
    if (refused != null) {
      return refused;
    }
    JsonNode modeNode = body.has("mode") ? body.get("mode") : DEFAULT_MODE_NODE;
    if (modeNode.isString() && modeNode.stringValue().equals(FormFillMode.NAME)) {
      modeNode = FORM_FILL_MODE_NODE; // shared: one node fewer per session
    } else if (modeNode.isString() && modeNode.stringValue().equals(DefaultMode.NAME)) {
      modeNode = DEFAULT_MODE_NODE;
    }
    ModeHandler handler = resolveMode(modeNode);
    if (handler == null) {
      return HppResponse.error(400, "unsupported mode");
    }
    JsonNode meta = body.path("meta");
    if (Json.truthy(meta) && !meta.isObject()) {
      return HppResponse.error(400, "meta must be an object");
    }
    long now = nowMicros();
    String sid = HexFormat.of().formatHex(randomBytes(16));
    BearerSecret token = BearerSecret.generate(random, 24);
    BearerSecret binding = config.notifyRequireBinding() ? BearerSecret.generate(random, 32) : null;
    SessionState s =
        new SessionState(
            sid,
            token.digest(),
            binding == null ? null : binding.digest(),
            modeNode,
            handler.name(),
            Json.mapper().createArrayNode(),
            Json.truthy(meta) ? (ObjectNode) meta : Json.object(),
            config.ttl().toSeconds(),
            now);
    try {
      handler.setup(s, body, modeContext());
    } catch (ModeHandler.BadInput e) {
      return HppResponse.error(400, String.valueOf(e.getMessage()));
    }
    for (SessionHooks.CreateHook hook : hooks.create()) {
      try {
        hook.onCreateSession(s, request);
      } catch (HookDenied e) {
        return HppResponse.error(403, e.publicMessage());
      } catch (RuntimeException e) {
        LOG.warn("create hook failed", e);
        return HppResponse.error(403, "request denied");
      }
    }
    if (!store.insert(s, config.maxLiveSessions())) {
      return HppResponse.rateLimited(config.sweepInterval().toSeconds() + 1);
    }
    ObjectNode out = Json.object();
    String p = config.prefix();
    out.put("sessionId", sid);
    out.put("token", token.reveal());
    out.put("wsUrl", config.wsPrefix() + "/" + sid);
    out.put("contextUrl", p + "/context/" + sid);
    out.put("actionUrl", p + "/action/" + sid);
    out.put("diffUrl", p + "/diff/" + sid);
    out.put("notifyUrl", p + "/notify/" + sid);
    out.put("expiresIn", config.ttl().toSeconds());
    HppResponse response = HppResponse.json(200, out);
    if (binding != null) {
      response =
          response.withHeader(
              "Set-Cookie",
              BINDING_COOKIE + "=" + binding.reveal() + "; Path=" + p + "/notify/" + sid
                  + "; HttpOnly; SameSite=Strict" + (config.bindingCookieSecure() ? "; Secure" : ""));
    }
    return response;
  }

  private @Nullable HppResponse checkCreateAllowed(RequestInfo request) {
    Optional<String> presentedKey = request.header("X-Handshake-Create-Key");
    if (config.createKey().isPresent() && presentedKey.isPresent()) {
      if (!SecretDigest.of(config.createKey().get()).matches(presentedKey.get())) {
        return HppResponse.error(403, "invalid create key");
      }
    } else {
      Optional<String> origin = OriginPolicy.requestOrigin(request);
      if (origin.isPresent()) {
        if (!OriginPolicy.allowed(origin.get(), config.allowedOrigins(), request)) {
          return HppResponse.error(403, "origin not allowed");
        }
      } else if (!config.createAllowNoOrigin()) {
        return HppResponse.error(403, "origin required");
      }
    }
    if (config.createPerMinutePerAddress() > 0
        && limiter.tryAcquire(
                "create:" + request.clientAddress(), config.createPerMinutePerAddress(), MINUTE)
            instanceof RateLimiter.Decision.Limited l) {
      return HppResponse.rateLimited(l.retryAfterSeconds());
    }
    return null;
  }

  private @Nullable ModeHandler resolveMode(JsonNode mode) {
    if (mode.isString()) {
      String name = mode.stringValue();
      ModeHandler h = modes.get(name);
      if (h != null && config.allowedModes().contains(name)) {
        return h;
      }
    } else if (mode.isNull()) {
      return modes.get(DefaultMode.NAME); // the reference's get_handler(None) falls back
    }
    return config.unknownModeFallsBackToDefault() ? modes.get(DefaultMode.NAME) : null;
  }

  ModeHandler handler(SessionState s) {
    return modes.getOrDefault(s.handler(), modes.get(DefaultMode.NAME));
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  // ---- context, diff --------------------------------------------------------------------------

  /** {@code GET {prefix}/context/<sid>} (hpp.md §2.3.2). */
  public HppResponse context(String sid, RequestInfo request) {
    return withSession(
        sid,
        (s, now) -> {
          HppResponse denied = authenticate(s, httpToken(request), request, now);
          if (denied == null) {
            denied = rateLimit(s);
          }
          return denied != null ? denied : HppResponse.json(200, contextBody(s));
        });
  }

  ObjectNode contextBody(SessionState s) {
    ObjectNode out = Json.object();
    out.put("sessionId", s.id());
    out.set("mode", s.mode());
    handler(s).writeContext(s, out, modeContext());
    out.set("meta", s.meta());
    out.put("expiresIn", expiresIn(s, nowMicros()));
    return out;
  }

  /** {@code GET {prefix}/diff/<sid>[?since=<iso>|?sinceSeq=<n>]} (hpp.md §2.3.5, §3 item 9). */
  public HppResponse diff(String sid, RequestInfo request) {
    return withSession(
        sid,
        (s, now) -> {
          HppResponse denied = authenticate(s, httpToken(request), request, now);
          if (denied != null) {
            return denied;
          }
          String since = request.queryParameter("since").orElse("");
          Optional<String> sinceSeq = request.queryParameter("sinceSeq");
          ChangeFilter filter;
          try {
            filter = ChangeFilter.of(since, sinceSeq, config.compareSinceAsString());
          } catch (IllegalArgumentException e) {
            return HppResponse.error(400, String.valueOf(e.getMessage()));
          }
          denied = rateLimit(s);
          if (denied != null) {
            return denied;
          }
          ObjectNode out = Json.object();
          out.put("sessionId", s.id());
          out.put("since", since);
          var changes = out.putArray("changes");
          List<Change> all = s.changes();
          List<Change> chosen =
              filter.isNone()
                  ? all.subList(Math.max(0, all.size() - config.diffDefaultCount()), all.size())
                  : all.stream().filter(filter::accepts).toList();
          for (Change c : chosen) {
            ObjectNode e = changes.addObject();
            e.put("key", c.key());
            e.set("from", c.from());
            e.set("to", c.to());
            e.put("by", c.by());
            e.put("at", Timestamps.format(c.atMicros()));
            e.put("seq", c.seq());
          }
          return HppResponse.json(200, out);
        });
  }

  // ---- action ---------------------------------------------------------------------------------

  /**
   * {@code POST {prefix}/action/<sid>} (hpp.md §2.3.3). Completes when every action is applied;
   * form-fill pacing waits on the engine's scheduler, never on the caller's thread.
   */
  public CompletableFuture<HppResponse> action(String sid, ObjectNode body, RequestInfo request) {
    ActionRun.Plan[] plan = new ActionRun.Plan[1];
    HppResponse early =
        withSession(
            sid,
            (s, now) -> {
              HppResponse denied = authenticate(s, httpToken(request), request, now);
              if (denied != null) {
                return denied;
              }
              ActionRun.Plan p;
              try {
                p = ActionRun.Plan.parse(body, config);
              } catch (IllegalArgumentException e) {
                return HppResponse.error(400, String.valueOf(e.getMessage()));
              }
              denied = rateLimit(s);
              if (denied != null) {
                return denied;
              }
              plan[0] = p;
              return null;
            });
    if (plan[0] == null) {
      return CompletableFuture.completedFuture(early);
    }
    return new ActionRun(this, sid, plan[0], request).start();
  }

  // ---- notify, extend, delete, prompt ---------------------------------------------------------

  /** {@code POST {prefix}/notify/<sid>} (hpp.md §2.3.4, §3 item 3). */
  public HppResponse notify(String sid, ObjectNode body, RequestInfo request) {
    return withSession(
        sid,
        (s, now) -> {
          if (!browserAuthenticated(s, request)) {
            return HppResponse.error(403, "browser auth failed");
          }
          JsonNode key = body.path("key");
          if (key.isNull() || key.isMissingNode()) {
            return HppResponse.error(400, "key is required");
          }
          if (!key.isString()) {
            return HppResponse.error(400, "key must be a string");
          }
          if (key.stringValue().length() > config.maxKeyLength()) {
            return HppResponse.error(400, "key too long");
          }
          ModeHandler h = handler(s);
          if (!h.acceptsUserKey(s, key.stringValue(), modeContext())) {
            return HppResponse.error(400, "unknown key");
          }
          JsonNode value = body.has("value") ? body.get("value") : Json.nodes().nullNode();
          h.userEdit(s, key.stringValue(), value, modeContext());
          ObjectNode ok = Json.object();
          ok.put("ok", true);
          return HppResponse.json(200, ok);
        });
  }

  private boolean browserAuthenticated(SessionState s, RequestInfo request) {
    if (config.notifyRequireBinding()) {
      // hpp.md §3 item 3: the binding cookie plus an allowed Origin (or Referer)
      Optional<String> origin = OriginPolicy.requestOrigin(request);
      if (origin.isEmpty() || !OriginPolicy.allowed(origin.get(), config.allowedOrigins(), request)) {
        return false;
      }
      if (s.binding().isEmpty() || !Cookies.any(request, BINDING_COOKIE, s.binding().get()::matches)) {
        return false;
      }
      s.touch(nowMicros());
    }
    for (SessionHooks.BrowserAuth auth : hooks.browserAuth()) {
      try {
        if (!auth.allow(request, s)) {
          return false;
        }
      } catch (RuntimeException e) {
        LOG.warn("browser auth hook failed", e);
        return false;
      }
    }
    if (!config.notifyRequireBinding()) {
      s.touch(nowMicros());
    }
    return true;
  }

  /** {@code POST {prefix}/session/<sid>/extend} (hpp.md §2.3.6, §3 items 1 and 6). */
  public HppResponse extend(String sid, ObjectNode body, RequestInfo request) {
    long[] pushed = {-1};
    HppResponse r =
        withSession(
            sid,
            (s, now) -> {
              HppResponse denied = authenticate(s, httpToken(request), request, now);
              if (denied != null) {
                return denied;
              }
              if (config.extendPerMinute() > 0
                  && limiter.tryAcquire("extend:" + sid, config.extendPerMinute(), MINUTE)
                      instanceof RateLimiter.Decision.Limited l) {
                return HppResponse.rateLimited(l.retryAfterSeconds());
              }
              Extension ext = Extension.decide(this, s, body, request, now);
              if (ext.refusal() != null) {
                return ext.refusal();
              }
              s.addExtension(ext.seconds());
              s.touch(now);
              long expiresIn = expiresIn(s, now);
              pushed[0] = expiresIn;
              ObjectNode out = Json.object();
              out.put("ok", true);
              out.put("extended", ext.seconds());
              out.put("expiresIn", expiresIn);
              return HppResponse.json(200, out);
            });
    if (pushed[0] >= 0) {
      bus.publish(
          sid,
          new SessionEvent(
              SessionEvent.Kind.EXTENDED,
              "{\"type\":\"extended\",\"expiresIn\":" + pushed[0] + "}"));
    }
    return r;
  }

  /** {@code DELETE {prefix}/session/<sid>}: ends a session early (hpp.md §3 item 4). */
  public HppResponse delete(String sid, RequestInfo request) {
    boolean[] authed = {false};
    HppResponse r =
        withSession(
            sid,
            (s, now) -> {
              HppResponse denied = authenticate(s, httpToken(request), request, now);
              if (denied != null) {
                return denied;
              }
              authed[0] = true;
              ObjectNode ok = Json.object();
              ok.put("ok", true);
              return HppResponse.json(200, ok);
            });
    if (authed[0] && store.remove(sid)) {
      announceExpiry(sid);
    }
    return r;
  }

  /**
   * {@code GET {prefix}/prompt/<sid>}: the prompt text for this session, for pages and operators
   * that did not build it themselves. Token-authenticated; {@code ?instructions=} is optional.
   */
  public HppResponse prompt(String sid, RequestInfo request, String baseUrl) {
    return withSession(
        sid,
        (s, now) -> {
          Optional<String> token = httpToken(request);
          HppResponse denied = authenticate(s, token, request, now);
          if (denied != null) {
            return denied;
          }
          String text =
              PromptBuilder.build(
                  s, token.orElseThrow(), baseUrl, config.prefix(), expiresIn(s, now),
                  request.queryParameter("instructions"));
          return HppResponse.text(200, text);
        });
  }

  // ---- WebSocket ------------------------------------------------------------------------------

  /**
   * Opens the live channel of {@code GET {ws_prefix}/<sid>} after the upgrade (hpp.md §2.5). On
   * failure the peer receives one {@code error} message and is closed.
   */
  public WsConnection connect(String sid, RequestInfo request, WsConnection.Peer peer) {
    return WsConnection.open(this, sid, request, peer);
  }

  // ---- hooks and mode context ----------------------------------------------------------------

  ModeContext modeContext() {
    return modeContext(NO_REQUEST);
  }

  ModeContext modeContext(RequestInfo request) {
    SessionEngine engine = this;
    return new ModeContext() {
      private @Nullable SessionState parsedFor;
      private tools.jackson.databind.node.@Nullable ArrayNode parsed;

      @Override
      public tools.jackson.databind.node.ArrayNode schemaOf(SessionState session) {
        if (parsedFor != session || parsed == null) {
          parsed = session.schema();
          parsedFor = session;
        }
        return parsed;
      }

      @Override
      public SessionConfig config() {
        return config;
      }

      @Override
      public long nowMicros() {
        return engine.nowMicros();
      }

      @Override
      public Optional<SessionHooks.FieldValidator> validator() {
        return hooks.validator();
      }

      @Override
      public HookVerdict runActionHooks(SessionState session, ObjectNode action) {
        for (SessionHooks.ActionHook hook : hooks.action()) {
          try {
            if (!hook.onAction(session, action, request)) {
              return new HookVerdict.Veto();
            }
          } catch (HookDenied e) {
            return new HookVerdict.Failed(e.publicMessage());
          } catch (RuntimeException e) {
            LOG.warn("action hook failed", e);
            return new HookVerdict.Failed("action hook failed");
          }
        }
        return new HookVerdict.Pass();
      }
    };
  }

  private static final RequestInfo NO_REQUEST = RequestInfo.of(name -> null, null, "");

  /** Builder for {@link SessionEngine}; every collaborator has an in-memory default. */
  public static final class Builder {
    private SessionConfig config = SessionConfig.defaults();
    private @Nullable SessionStore store;
    private @Nullable SessionEventBus bus;
    private @Nullable RateLimiter limiter;
    private SessionHooks hooks = SessionHooks.none();
    private Clock clock = Clock.systemUTC();
    private SecureRandom random = new SecureRandom();
    private @Nullable ScheduledExecutorService scheduler;
    private final Map<String, ModeHandler> modes = new LinkedHashMap<>();

    Builder() {
      mode(new DefaultMode());
      mode(new FormFillMode());
    }

    public Builder config(SessionConfig v) { config = v; return this; }
    public Builder store(SessionStore v) { store = v; return this; }
    public Builder eventBus(SessionEventBus v) { bus = v; return this; }
    public Builder rateLimiter(RateLimiter v) { limiter = v; return this; }
    public Builder hooks(SessionHooks v) { hooks = v; return this; }
    public Builder clock(Clock v) { clock = v; return this; }
    public Builder random(SecureRandom v) { random = v; return this; }
    /** A scheduler for pacing and sweeping; the engine creates (and closes) its own if unset. */
    public Builder scheduler(ScheduledExecutorService v) { scheduler = v; return this; }

    /** Registers a mode handler under its name (also add the name to {@code allowedModes}). */
    public Builder mode(ModeHandler handler) {
      modes.put(handler.name(), handler);
      return this;
    }

    public SessionEngine build() {
      return new SessionEngine(this);
    }
  }
}
