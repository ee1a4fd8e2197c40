package dev.handshake.pairing.http;

import dev.handshake.json.Json;
import dev.handshake.pairing.ApprovalTarget;
import dev.handshake.pairing.Approver;
import dev.handshake.pairing.PairingCode;
import dev.handshake.pairing.PairingRequest;
import dev.handshake.pairing.PairingStore;
import dev.handshake.pairing.RequestOutcome;
import dev.handshake.pairing.Requester;
import dev.handshake.pairing.Resolution;
import dev.handshake.pairing.auth.AuthProtocol;
import dev.handshake.pairing.auth.AuthRequest;
import dev.handshake.pairing.auth.AuthResult;
import dev.handshake.pairing.auth.OperatorScope;
import dev.handshake.pairing.auth.Principal;
import dev.handshake.session.HppResponse;
import dev.handshake.session.QueryStrings;
import dev.handshake.session.http.HttpApiRequest;
import dev.handshake.store.InMemoryRateLimiter;
import dev.handshake.store.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The pairing admin API (pairing.md §3.2 rule 5), transport-free; every call needs an operator
 * bearer token in the {@code Authorization} header, and every answer is JSON with {@code
 * Cache-Control: no-store}.
 *
 * <table>
 * <caption>routes (scope needed)</caption>
 * <tr><td>{@code POST /v1/pairing/requests} (write)</td><td>a gateway asks for a code for a
 *     sender: {@code {"channel","account"?,"sender","display"?,"renew"?}} → 201 with the code
 *     (once), 200 {@code refreshed} (no code), 200 {@code already_paired}, 409 when the account or
 *     store is full, 429 when throttled</td></tr>
 * <tr><td>{@code GET /v1/pairing/requests[?channel=]} (read)</td><td>live requests</td></tr>
 * <tr><td>{@code GET /v1/pairing/requests/{id}} (read)</td><td>one request, in any state</td></tr>
 * <tr><td>{@code POST /v1/pairing/approve}, {@code /deny} (pairing)</td><td>{@code {"code"} or
 *     {"request_id"}}, optional {@code "channel"}, {@code "account"}</td></tr>
 * <tr><td>{@code GET /v1/pairing/grants[?revoked=true]} (read)</td><td>grants</td></tr>
 * <tr><td>{@code POST /v1/pairing/revoke} (pairing)</td><td>{@code {"channel","account"?,"sender"}}</td></tr>
 * <tr><td>{@code GET /v1/pairing/events?after=N} (read)</td><td>state changes, in order</td></tr>
 * <tr><td>PraisonAI's {@code GET /api/pairing/pending}, {@code POST /api/pairing/approve
 *     {"channel","code"}} (404 if invalid), {@code POST /api/pairing/revoke {"channel","user_id"}}
 *     </td><td>while {@code pairing.compat.praisonaiHttpApi} is on (default)</td></tr>
 * </table>
 *
 * <p>Failures: 401 with {@code WWW-Authenticate: Bearer realm="handshake"} (plus {@code
 * error="invalid_token"} for a bad token), 400 {@code invalid_request} for a token in the query,
 * 403 {@code insufficient_scope} naming the scope; each mutating route allows {@link
 * Settings#callsPerWindow} calls per minute per client address, then 429 with {@code Retry-After}
 * and {@code retry_after_seconds}.
 */
public final class PairingHttpApi {
  public static final String ROOT = "/v1/pairing";
  public static final String PRAISONAI_ROOT = "/api/pairing";
  public static final int MAX_BODY_BYTES = 16 * 1024;
  private static final String REALM = "handshake";

  /**
   * Switches of the HTTP surface.
   *
   * @param praisonaiHttpApi serve {@code /api/pairing/*} ({@code pairing.compat.praisonaiHttpApi},
   *     default true)
   * @param callsPerWindow calls of one mutating route per client address per {@code window}
   *     (default 10 per minute, PraisonAI's)
   */
  public record Settings(boolean praisonaiHttpApi, int callsPerWindow, Duration window) {
    public static final Settings DEFAULTS = new Settings(true, 10, Duration.ofMinutes(1));

    public Settings {
      if (callsPerWindow < 1 || window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("callsPerWindow ≥ 1 and a positive window");
      }
    }
  }

  private final PairingStore store;
  private final AuthProtocol operators;
  private final Settings settings;
  private final RateLimiter limits;

  public PairingHttpApi(PairingStore store, AuthProtocol operators, Settings settings, Clock clock) {
    this.store = store;
    this.operators = operators;
    this.settings = settings;
    this.limits = new InMemoryRateLimiter(clock);
  }

  public boolean handles(String path) {
    return path.equals(ROOT) || path.startsWith(ROOT + "/")
        || (settings.praisonaiHttpApi() && path.startsWith(PRAISONAI_ROOT + "/"));
  }

  /** Answers one request; never throws for bad input. */
  public HppResponse handle(HttpApiRequest req) {
    return noStore(route(req));
  }

  private HppResponse route(HttpApiRequest req) {
    String path = req.path();
    String method = req.method();
    if (req.body().length > MAX_BODY_BYTES) {
      return error(413, "body_too_large", "the body is larger than " + MAX_BODY_BYTES + " bytes");
    }
    Route route = match(method, path);
    if (route == null) {
      return knownPath(path)
          ? error(405, "method_not_allowed", method + " is not allowed on " + path)
          : error(404, "not_found", "no pairing endpoint at " + path);
    }
    AuthResult auth = operators.check(new AuthRequest(req::header, req.rawQuery(),
        req.clientAddress(), method, path));
    if (!(auth instanceof AuthResult.Authenticated a)) {
      return AuthChallenges.refuse(auth, REALM, Optional.empty(),
          "an operator bearer token is required");
    }
    Principal who = a.principal();
    if (!who.can(route.scope)) {
      return error(403, "insufficient_scope", "this needs the '" + route.scope + "' scope")
          .withHeader("WWW-Authenticate", "Bearer realm=\"" + REALM
              + "\", error=\"insufficient_scope\", scope=\"" + route.scope + "\"");
    }
    if (route.mutating) {
      RateLimiter.Decision d = limits.tryAcquire(route.name + "\u0000" + req.clientAddress(),
          settings.callsPerWindow(), settings.window());
      if (d instanceof RateLimiter.Decision.Limited l) {
        return rateLimited(l.retryAfterSeconds());
      }
    }
    Optional<JsonNode> body = Optional.empty();
    if (method.equals("POST")) {
      body = Json.tryParse(req.body()).filter(JsonNode::isObject);
      if (body.isEmpty()) {
        return error(400, "invalid_body", "the body must be a JSON object");
      }
    }
    Approver approver = new Approver(who.id(), Optional.of(req.clientAddress()));
    try {
      return switch (route.name) {
        case "create" -> create(body.orElseThrow(), req.clientAddress());
        case "list" -> list(req);
        case "get" -> get(path.substring((ROOT + "/requests/").length()));
        case "approve" -> resolve(body.orElseThrow(), approver, true);
        case "deny" -> resolve(body.orElseThrow(), approver, false);
        case "grants" -> grants(req);
        case "revoke" -> revoke(body.orElseThrow(), who);
        case "events" -> events(req);
        case "compat-pending" -> compatPending();
        case "compat-approve" -> compatApprove(body.orElseThrow(), approver);
        case "compat-revoke" -> compatRevoke(body.orElseThrow(), who);
        default -> error(404, "not_found", "no pairing endpoint at " + path);
      };
    } catch (IllegalArgumentException e) {
      return error(400, "invalid_request", e.getMessage());
    }
  }

  private record Route(String name, String scope, boolean mutating) {}

  private @org.jspecify.annotations.Nullable Route match(String method, String path) {
    boolean get = method.equals("GET");
    boolean post = method.equals("POST");
    if (path.equals(ROOT + "/requests")) {
      return post ? new Route("create", OperatorScope.WRITE, true)
          : get ? new Route("list", OperatorScope.READ, false) : null;
    }
    if (path.startsWith(ROOT + "/requests/") && get) {
      return new Route("get", OperatorScope.READ, false);
    }
    if (post && path.equals(ROOT + "/approve")) {
      return new Route("approve", OperatorScope.PAIRING, true);
    }
    if (post && path.equals(ROOT + "/deny")) {
      return new Route("deny", OperatorScope.PAIRING, true);
    }
    if (get && path.equals(ROOT + "/grants")) {
      return new Route("grants", OperatorScope.READ, false);
    }
    if (post && path.equals(ROOT + "/revoke")) {
      return new Route("revoke", OperatorScope.PAIRING, true);
    }
    if (get && path.equals(ROOT + "/events")) {
      return new Route("events", OperatorScope.READ, false);
    }
    if (settings.praisonaiHttpApi()) {
      if (get && path.equals(PRAISONAI_ROOT + "/pending")) {
        return new Route("compat-pending", OperatorScope.READ, false);
      }
      if (post && path.equals(PRAISONAI_ROOT + "/approve")) {
        return new Route("compat-approve", OperatorScope.PAIRING, true);
      }
      if (post && path.equals(PRAISONAI_ROOT + "/revoke")) {
        return new Route("compat-revoke", OperatorScope.PAIRING, true);
      }
    }
    return null;
  }

  private boolean knownPath(String path) {
    return path.equals(ROOT + "/requests") || path.startsWith(ROOT + "/requests/")
        || path.equals(ROOT + "/approve") || path.equals(ROOT + "/deny")
        || path.equals(ROOT + "/grants") || path.equals(ROOT + "/revoke")
        || path.equals(ROOT + "/events")
        || (settings.praisonaiHttpApi() && (path.equals(PRAISONAI_ROOT + "/pending")
            || path.equals(PRAISONAI_ROOT + "/approve") || path.equals(PRAISONAI_ROOT + "/revoke")));
  }

  private HppResponse create(JsonNode body, String address) {
    Requester who = requester(body, "sender");
    Map<String, String> display = new LinkedHashMap<>();
    JsonNode d = body.path("display");
    if (!d.isMissingNode() && !d.isNull()) {
      if (!d.isObject()) {
        throw new IllegalArgumentException("'display' must be an object of strings");
      }
      for (var e : d.properties()) {
        if (!e.getValue().isString()) {
          throw new IllegalArgumentException("'display' must be an object of strings");
        }
        display.put(e.getKey(), e.getValue().stringValue());
      }
    }
    boolean renew = body.path("renew").asBoolean(false);
    RequestOutcome out = renew
        ? store.renew(who, display, Optional.of(address))
        : store.request(who, display, Optional.of(address));
    return switch (out) {
      case RequestOutcome.Created c -> {
        ObjectNode n = Json.object();
        n.put("outcome", "created");
        n.put("code", c.code().display());
        n.set("request", PairingJson.request(c.request()));
        n.put("message", "Your pairing code is " + c.code().display() + ". It expires at "
            + c.request().expiresAt() + ". The owner approves it with: handshake pair approve "
            + c.code().display());
        yield HppResponse.json(201, n);
      }
      case RequestOutcome.Refreshed r -> {
        ObjectNode n = Json.object();
        n.put("outcome", "refreshed");
        n.set("request", PairingJson.request(r.request()));
        yield HppResponse.json(200, n);
      }
      case RequestOutcome.AlreadyPaired p -> {
        ObjectNode n = Json.object();
        n.put("outcome", "already_paired");
        n.set("grant", PairingJson.grant(p.grant()));
        yield HppResponse.json(200, n);
      }
      case RequestOutcome.Refused r -> switch (r.reason()) {
        case THROTTLED -> rateLimited(Math.max(1, (r.retryAfter().toMillis() + 999) / 1000));
        case ACCOUNT_FULL -> error(409, "account_full",
            "this channel account has its maximum of pending requests");
        case STORE_FULL -> error(409, "store_full", "the server has its maximum of pending requests");
      };
    };
  }

  private static Requester requester(JsonNode body, String senderField) {
    String channel = text(body, "channel").orElseThrow(() -> missing("channel"));
    String sender = text(body, senderField).orElseThrow(() -> missing(senderField));
    String account = text(body, "account").orElse(Requester.DEFAULT_ACCOUNT);
    return new Requester(channel, account, sender);
  }

  private static IllegalArgumentException missing(String field) {
    return new IllegalArgumentException("'" + field + "' is required and must be a non-empty string");
  }

  private static Optional<String> text(JsonNode body, String field) {
    JsonNode v = body.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isString() || v.stringValue().isBlank()) {
      throw new IllegalArgumentException("'" + field + "' must be a non-empty string");
    }
    return Optional.of(v.stringValue());
  }

  private HppResponse list(HttpApiRequest req) {
    Optional<String> channel = req.rawQuery().flatMap(q -> QueryStrings.first(q, "channel", true));
    ObjectNode n = Json.object();
    store.pending(channel).forEach(r -> n.withArray("requests").add(PairingJson.request(r)));
    n.withArray("requests");
    return HppResponse.json(200, n);
  }

  private HppResponse get(String id) {
    return store.find(id)
        .map(r -> HppResponse.json(200, PairingJson.request(r)))
        .orElseGet(() -> error(404, "not_found", "no pairing request with this id"));
  }

  private HppResponse resolve(JsonNode body, Approver approver, boolean approve) {
    ApprovalTarget target = target(body);
    Resolution r = approve ? store.approve(target, approver) : store.deny(target, approver);
    return resolution(r);
  }

  private ApprovalTarget target(JsonNode body) {
    Optional<String> id = text(body, "request_id");
    Optional<String> code = text(body, "code");
    if (id.isPresent() == code.isPresent()) {
      throw new IllegalArgumentException("give exactly one of 'code' and 'request_id'");
    }
    if (id.isPresent()) {
      try {
        return new ApprovalTarget.ById(UUID.fromString(id.get()).toString());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("'request_id' is not a request id");
      }
    }
    PairingCode c = PairingCode.parse(code.get(), store.config().alphabet())
        .orElseThrow(() -> new IllegalArgumentException(
            "'code' is not a pairing code (8 letters and digits, like K7QX-M2PA)"));
    return new ApprovalTarget.ByCode(c, text(body, "channel"), text(body, "account"));
  }

  private static HppResponse resolution(Resolution r) {
    return switch (r) {
      case Resolution.Approved a -> {
        ObjectNode n = Json.object();
        n.put("outcome", "approved");
        n.set("request", PairingJson.request(a.request()));
        n.set("grant", PairingJson.grant(a.grant()));
        yield HppResponse.json(200, n);
      }
      case Resolution.Denied d -> {
        ObjectNode n = Json.object();
        n.put("outcome", "denied");
        n.set("request", PairingJson.request(d.request()));
        yield HppResponse.json(200, n);
      }
      case Resolution.Failed f -> failure(f);
    };
  }

  private static HppResponse failure(Resolution.Failed f) {
    int status = switch (f.failure()) {
      case NOT_FOUND -> 404;
      case WRONG_CODE -> 422;
      case RATE_LIMITED -> 429;
      default -> 409;
    };
    HppResponse resp = error(status, f.failure().code(), f.failure().message());
    if (f.failure() == Resolution.Failure.RATE_LIMITED) {
      return rateLimited(Math.max(1, (f.retryAfter().toMillis() + 999) / 1000));
    }
    return resp;
  }

  private HppResponse grants(HttpApiRequest req) {
    boolean revoked = req.rawQuery().flatMap(q -> QueryStrings.first(q, "revoked", true))
        .map("true"::equals).orElse(false);
    ObjectNode n = Json.object();
    n.putArray("grants");
    store.grants(revoked).forEach(g -> n.withArray("grants").add(PairingJson.grant(g)));
    return HppResponse.json(200, n);
  }

  private HppResponse revoke(JsonNode body, Principal who) {
    Requester r = requester(body, "sender");
    return store.revoke(r, who.id())
        .map(g -> {
          ObjectNode n = Json.object();
          n.put("outcome", "revoked");
          n.set("grant", PairingJson.grant(g));
          return HppResponse.json(200, n);
        })
        .orElseGet(() -> error(404, "not_found", "no active grant for " + r));
  }

  private HppResponse events(HttpApiRequest req) {
    long after;
    int limit;
    try {
      after = req.rawQuery().flatMap(q -> QueryStrings.first(q, "after", true)).map(Long::parseLong).orElse(0L);
      limit = req.rawQuery().flatMap(q -> QueryStrings.first(q, "limit", true)).map(Integer::parseInt).orElse(100);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'after' and 'limit' are whole numbers");
    }
    if (after < 0 || limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("'after' ≥ 0 and 1 ≤ 'limit' ≤ 1000");
    }
    ObjectNode n = Json.object();
    n.putArray("events");
    store.events(after, limit).forEach(e -> n.withArray("events").add(PairingJson.event(e)));
    return HppResponse.json(200, n);
  }

  private HppResponse compatPending() {
    ObjectNode n = Json.object();
    n.putArray("pending");
    for (PairingRequest r : store.pending(Optional.empty())) {
      ObjectNode p = n.withArray("pending").addObject();
      p.put("channel_type", r.requester().channelType());
      p.put("channel_id", r.requester().senderId());
      p.put("created_at", r.createdAt().toEpochMilli() / 1000.0);
      p.putNull("code");
      p.put("request_id", r.requestId());
    }
    return HppResponse.json(200, n);
  }

  private HppResponse compatApprove(JsonNode body, Approver approver) {
    String channel = text(body, "channel").orElseThrow(() -> missing("channel"));
    String typed = text(body, "code").orElseThrow(() -> missing("code"));
    Optional<PairingCode> code = PairingCode.parse(typed, store.config().alphabet());
    if (code.isEmpty()) {
      return error(404, "not_found", "Invalid or expired code");
    }
    Resolution r = store.approve(
        new ApprovalTarget.ByCode(code.get(), Optional.of(channel), Optional.empty()), approver);
    if (r instanceof Resolution.Failed f && f.failure() != Resolution.Failure.RATE_LIMITED) {
      return error(404, "not_found", "Invalid or expired code");
    }
    return resolution(r);
  }

  private HppResponse compatRevoke(JsonNode body, Principal who) {
    return revoke(Json.object()
        .put("channel", text(body, "channel").orElseThrow(() -> missing("channel")))
        .put("sender", text(body, "user_id").orElseThrow(() -> missing("user_id"))), who);
  }

  static HppResponse error(int status, String code, String message) {
    ObjectNode n = Json.object();
    n.put("error", code);
    n.put("message", message);
    return HppResponse.json(status, n);
  }

  private static HppResponse rateLimited(long seconds) {
    ObjectNode n = Json.object();
    n.put("error", "rate_limited");
    n.put("message", "too many calls; retry after " + seconds + " s");
    n.put("retry_after_seconds", seconds);
    return HppResponse.json(429, n).withHeader("Retry-After", Long.toString(seconds));
  }

  private static HppResponse noStore(HppResponse r) {
    return r.withHeader("Cache-Control", "no-store");
  }
}
