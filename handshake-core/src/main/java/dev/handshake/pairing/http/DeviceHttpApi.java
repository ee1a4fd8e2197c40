package dev.handshake.pairing.http;

import dev.handshake.json.Json;
import dev.handshake.pairing.Approver;
import dev.handshake.pairing.auth.AuthProtocol;
import dev.handshake.pairing.auth.AuthRequest;
import dev.handshake.pairing.auth.AuthResult;
import dev.handshake.pairing.auth.OperatorScope;
import dev.handshake.pairing.auth.Principal;
import dev.handshake.pairing.device.AutoApproval;
import dev.handshake.pairing.device.BootstrapIssue;
import dev.handshake.pairing.device.ChallengeStore;
import dev.handshake.pairing.device.ConnectContext;
import dev.handshake.pairing.device.ConnectOutcome;
import dev.handshake.pairing.device.ConnectProof;
import dev.handshake.pairing.device.DeviceAuthError;
import dev.handshake.pairing.device.DevicePairing;
import dev.handshake.pairing.device.DeviceResolution;
import dev.handshake.pairing.device.DeviceStore;
import dev.handshake.pairing.device.PairingRefusal;
import dev.handshake.pairing.device.SetupCode;
import dev.handshake.pairing.device.TokenIssue;
import dev.handshake.session.HppResponse;
import dev.handshake.session.http.HttpApiRequest;
import dev.handshake.store.InMemoryRateLimiter;
import dev.handshake.store.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The device pairing HTTP API (pairing.md §2.4, §3.2 rule 7), transport-free like {@link
 * PairingHttpApi}: every answer is JSON with {@code Cache-Control: no-store}, errors are {@code
 * {"error","message"}}, bad input is a 4xx and never a 500.
 *
 * <table>
 * <caption>routes (who may call)</caption>
 * <tr><td>{@code POST /v1/devices/challenge} (device)</td><td>→ {@code {"nonce","ts"}}; 429 when
 *     too many challenges are outstanding</td></tr>
 * <tr><td>{@code POST /v1/devices/connect} (device)</td><td>the signed proof {@code {deviceId,
 *     publicKey, clientId, role, scopes[], signedAtMs, nonce, signature}}, optional {@code
 *     displayName, platform, rotate, bootstrapToken} → 200 {@code paired} (with {@code token}
 *     only when one is issued), 403 {@code pairing_required} with {@code request_id}, 401 {@code
 *     DEVICE_AUTH_*} for a failed proof, 403 or 409 or 429 for a pairing rule</td></tr>
 * <tr><td>{@code POST /v1/devices/bootstrap/redeem} (device)</td><td>the same as connect, but
 *     {@code bootstrapToken} is required</td></tr>
 * <tr><td>{@code GET /v1/devices/requests/{id}} (device)</td><td>the request's state, so a device
 *     can wait for approval</td></tr>
 * <tr><td>{@code GET /v1/devices}, {@code GET /v1/devices/pending} (operator, read)</td><td>paired
 *     devices with their tokens; pending requests</td></tr>
 * <tr><td>{@code POST /v1/devices/approve}, {@code /reject} {@code {"request_id"}}, {@code
 *     /revoke}, {@code /rotate} {@code {"device_id","role"}}, {@code /remove} {@code
 *     {"device_id"}} (operator, pairing)</td><td>rotate answers the new token, once</td></tr>
 * <tr><td>{@code POST /v1/devices/setup-code} {@code {"url","urls"?}} (operator, admin)</td>
 *     <td>a setup code carrying a new single-use bootstrap token</td></tr>
 * </table>
 *
 * <p>Device routes need no operator token (the device proves itself with its key); each route
 * allows {@link Settings#deviceCallsPerWindow} calls per client address per window. Operator
 * routes answer 401/400/403 with RFC 6750 {@code WWW-Authenticate} challenges and allow {@link
 * Settings#operatorCallsPerWindow} mutating calls per window. The TCP peer address and the proxy
 * headers are passed to {@link DevicePairing} so {@link AutoApproval} (off by default) can decide.
 */
public final class DeviceHttpApi {
  public static final String ROOT = "/v1/devices";
  public static final int MAX_BODY_BYTES = 16 * 1024;
  private static final String REALM = "handshake";
  private static final int MAX_ID = 128;
  private static final int MAX_TEXT = 256;
  private static final int MAX_SCOPES = 256;

  /**
   * Limits of the HTTP surface.
   *
   * @param deviceCallsPerWindow calls of one device route per client address per {@code window}
   *     (default 30 per minute)
   * @param operatorCallsPerWindow calls of one mutating operator route per client address per
   *     {@code window} (default 10 per minute, like the pairing admin API)
   */
  public record Settings(int deviceCallsPerWindow, int operatorCallsPerWindow, Duration window) {
    public static final Settings DEFAULTS = new Settings(30, 10, Duration.ofMinutes(1));

    public Settings {
      if (deviceCallsPerWindow < 1 || operatorCallsPerWindow < 1 || window.isNegative()
          || window.isZero()) {
        throw new IllegalArgumentException("calls per window ≥ 1 and a positive window");
      }
    }
  }

  private final DevicePairing pairing;
  private final DeviceStore store;
  private final AuthProtocol operators;
  private final Settings settings;
  private final RateLimiter limits;

  public DeviceHttpApi(DevicePairing pairing, AuthProtocol operators, Settings settings,
      Clock clock) {
    this.pairing = pairing;
    this.store = pairing.store();
    this.operators = operators;
    this.settings = settings;
    this.limits = new InMemoryRateLimiter(clock);
  }

  public boolean handles(String path) {
    return path.equals(ROOT) || path.startsWith(ROOT + "/");
  }

  /** Answers one request; never throws for bad input. */
  public HppResponse handle(HttpApiRequest req) {
    HppResponse r;
    try {
      r = route(req);
    } catch (BadInput | IllegalArgumentException e) {
      r = error(400, "invalid_request", String.valueOf(e.getMessage()));
    }
    return r.withHeader("Cache-Control", "no-store");
  }

  private record Route(String name, @Nullable String scope, boolean limited) {
    boolean device() {
      return scope == null;
    }
  }

  private @Nullable Route match(String method, String path) {
    boolean get = method.equals("GET");
    boolean post = method.equals("POST");
    String sub = path.equals(ROOT) ? "" : path.substring(ROOT.length());
    if (get) {
      return switch (sub) {
        case "" -> new Route("devices", OperatorScope.READ, false);
        case "/pending" -> new Route("pending", OperatorScope.READ, false);
        default -> sub.startsWith("/requests/") ? new Route("request", null, true) : null;
      };
    }
    if (post) {
      return switch (sub) {
        case "/challenge" -> new Route("challenge", null, true);
        case "/connect" -> new Route("connect", null, true);
        case "/bootstrap/redeem" -> new Route("redeem", null, true);
        case "/approve" -> new Route("approve", OperatorScope.PAIRING, true);
        case "/reject" -> new Route("reject", OperatorScope.PAIRING, true);
        case "/revoke" -> new Route("revoke", OperatorScope.PAIRING, true);
        case "/rotate" -> new Route("rotate", OperatorScope.PAIRING, true);
        case "/remove" -> new Route("remove", OperatorScope.PAIRING, true);
        case "/setup-code" -> new Route("setup-code", OperatorScope.ADMIN, true);
        default -> null;
      };
    }
    return null;
  }

  private boolean knownPath(String path) {
    return match("GET", path) != null || match("POST", path) != null;
  }

  private HppResponse route(HttpApiRequest req) {
    String path = req.path();
    if (req.body().length > MAX_BODY_BYTES) {
      return error(413, "body_too_large", "the body is larger than " + MAX_BODY_BYTES + " bytes");
    }
    Route route = match(req.method(), path);
    if (route == null) {
      return knownPath(path)
          ? error(405, "method_not_allowed", req.method() + " is not allowed on " + path)
          : error(404, "not_found", "no device endpoint at " + path);
    }
    Optional<Principal> who = Optional.empty();
    if (!route.device()) {
      AuthResult auth = operators.check(new AuthRequest(req::header, req.rawQuery(),
          req.clientAddress(), req.method(), path));
      if (!(auth instanceof AuthResult.Authenticated a)) {
        return AuthChallenges.refuse(auth, REALM, Optional.empty(),
            "an operator bearer token is required");
      }
      who = Optional.of(a.principal());
      String scope = route.scope();
      if (scope != null && !who.get().can(scope)) {
        return error(403, "insufficient_scope", "this needs the '" + scope + "' scope")
            .withHeader("WWW-Authenticate", "Bearer realm=\"" + REALM
                + "\", error=\"insufficient_scope\", scope=\"" + scope + "\"");
      }
    }
    if (route.limited()) {
      int calls = route.device() ? settings.deviceCallsPerWindow()
          : settings.operatorCallsPerWindow();
      RateLimiter.Decision d = limits.tryAcquire(
          "devices\u0000" + route.name() + "\u0000" + req.clientAddress(), calls,
          settings.window());
      if (d instanceof RateLimiter.Decision.Limited l) {
        return rateLimited(l.retryAfterSeconds());
      }
    }
    JsonNode body = Json.object();
    if (req.method().equals("POST") && req.body().length > 0) {
      Optional<JsonNode> parsed = Json.tryParse(req.body()).filter(JsonNode::isObject);
      if (parsed.isEmpty()) {
        return error(400, "invalid_body", "the body must be a JSON object");
      }
      body = parsed.get();
    } else if (req.method().equals("POST") && !route.name().equals("challenge")) {
      return error(400, "invalid_body", "the body must be a JSON object");
    }
    String actor = who.map(Principal::id).orElse("");
    return switch (route.name()) {
      case "challenge" -> challenge();
      case "connect" -> connect(body, req, false);
      case "redeem" -> connect(body, req, true);
      case "request" -> requestState(path.substring((ROOT + "/requests/").length()));
      case "devices" -> devices();
      case "pending" -> pending();
      case "approve", "reject" -> resolve(body, new Approver(actor,
          Optional.of(req.clientAddress())), route.name().equals("approve"));
      case "revoke" -> revoke(body, actor);
      case "rotate" -> rotate(body, actor);
      case "remove" -> remove(body, actor);
      case "setup-code" -> setupCode(body, actor);
      default -> error(404, "not_found", "no device endpoint at " + path);
    };
  }

  private HppResponse challenge() {
    return switch (pairing.challenge()) {
      case ChallengeStore.Issue.Issued i -> {
        ObjectNode n = Json.object();
        n.put("nonce", i.challenge().nonce());
        n.put("ts", i.challenge().ts());
        yield HppResponse.json(200, n);
      }
      case ChallengeStore.Issue.Full f -> rateLimited(seconds(f.retryAfter()));
    };
  }

  private HppResponse connect(JsonNode body, HttpApiRequest req, boolean redeem) {
    List<String> scopes = new ArrayList<>();
    JsonNode s = body.path("scopes");
    if (!s.isMissingNode() && !s.isNull()) {
      if (!s.isArray() || s.size() > MAX_SCOPES) {
        throw new BadInput("'scopes' must be an array of at most " + MAX_SCOPES + " strings");
      }
      for (JsonNode x : s) {
        if (!x.isString()) {
          throw new BadInput("'scopes' must be an array of strings");
        }
        scopes.add(x.stringValue());
      }
    }
    JsonNode signedAt = body.path("signedAtMs");
    if (!signedAt.isIntegralNumber() || !signedAt.canConvertToLong()) {
      throw new BadInput("'signedAtMs' is required and must be a whole number of milliseconds");
    }
    String platform = optionalText(body, "platform", MAX_TEXT).orElse("");
    ConnectProof proof = new ConnectProof(
        required(body, "deviceId", MAX_ID),
        required(body, "publicKey", 4 * 1024),
        required(body, "signature", MAX_TEXT),
        signedAt.asLong(),
        optionalText(body, "nonce", MAX_TEXT),
        required(body, "clientId", MAX_TEXT),
        required(body, "role", MAX_TEXT),
        scopes,
        optionalText(body, "clientMode", MAX_TEXT).orElse(""),
        Optional.empty(),
        platform,
        optionalText(body, "deviceFamily", MAX_TEXT).orElse(""));
    ConnectContext context = ConnectContext.of(req.clientAddress(), proxyHeaders(req))
        .withDisplay(optionalText(body, "displayName", MAX_TEXT).orElse(""), platform);
    Optional<String> bootstrap = optionalText(body, "bootstrapToken", 1024);
    if (redeem && bootstrap.isEmpty()) {
      throw new BadInput("'bootstrapToken' is required");
    }
    if (bootstrap.isPresent()) {
      context = context.withBootstrapToken(bootstrap.get());
    }
    JsonNode rotate = body.path("rotate");
    if (!rotate.isMissingNode() && !rotate.isNull() && !rotate.isBoolean()) {
      throw new BadInput("'rotate' must be true or false");
    }
    if (rotate.asBoolean(false)) {
      context = context.rotatingToken();
    }
    return switch (pairing.connect(proof, context)) {
      case ConnectOutcome.Paired p -> {
        ObjectNode n = Json.object();
        n.put("status", "paired");
        n.put("device_id", p.deviceId());
        n.put("role", p.role());
        p.token().ifPresent(t -> n.put("token", t.reveal()));
        p.scopes().forEach(n.putArray("scopes")::add);
        n.withArray("scopes");
        yield HppResponse.json(200, n);
      }
      case ConnectOutcome.PairingRequired r -> {
        ObjectNode n = Json.object();
        n.put("error", "pairing_required");
        n.put("request_id", r.requestId());
        n.put("upgrade", r.upgrade());
        n.put("expires_at", r.expiresAt().toString());
        n.put("message", (r.upgrade() ? "this device asks for more than it was approved for; "
            : "this device is not paired yet; ") + "the owner approves it with: handshake devices"
            + " approve " + r.requestId() + " (then connect again; poll GET " + ROOT
            + "/requests/" + r.requestId() + " to wait)");
        yield HppResponse.json(403, n);
      }
      case ConnectOutcome.Refused r -> {
        int status = switch (r.refusal()) {
          case DeviceAuthError e -> 401;
          case PairingRefusal p -> switch (p) {
            case BOOTSTRAP_TOKEN_INVALID, TOO_MANY_SCOPES -> 403;
            case PENDING_FULL -> 429;
            case CONFLICT -> 409;
          };
        };
        HppResponse resp = error(status, r.refusal().code(), r.refusal().message());
        yield status == 429 ? resp.withHeader("Retry-After", "60") : resp;
      }
    };
  }

  /** Only the headers {@link AutoApproval} looks at: whether a proxy stands in between. */
  private static Map<String, List<String>> proxyHeaders(HttpApiRequest req) {
    Map<String, List<String>> headers = new HashMap<>();
    for (String name : AutoApproval.PROXY_HEADERS) {
      req.header(name).ifPresent(v -> headers.put(name, List.of(v)));
    }
    return headers;
  }

  private HppResponse requestState(String id) {
    if (id.isEmpty() || id.length() > MAX_ID) {
      return error(404, "not_found", "no device request with this id");
    }
    return store.find(id)
        .map(r -> HppResponse.json(200, DeviceJson.requestState(r)))
        .orElseGet(() -> error(404, "not_found", "no device request with this id"));
  }

  private HppResponse devices() {
    ObjectNode n = Json.object();
    n.putArray("devices");
    store.devices().forEach(d -> {
      ObjectNode j = DeviceJson.device(d);
      j.putArray("tokens");
      store.tokens(d.deviceId()).forEach(t -> j.withArray("tokens").add(DeviceJson.token(t)));
      n.withArray("devices").add(j);
    });
    return HppResponse.json(200, n);
  }

  private HppResponse pending() {
    ObjectNode n = Json.object();
    n.putArray("requests");
    store.pending().forEach(r -> n.withArray("requests").add(DeviceJson.request(r)));
    return HppResponse.json(200, n);
  }

  private HppResponse resolve(JsonNode body, Approver approver, boolean approve) {
    String id = required(body, "request_id", MAX_ID);
    DeviceResolution r = approve ? store.approve(id, approver) : store.reject(id, approver);
    return switch (r) {
      case DeviceResolution.Approved a -> {
        ObjectNode n = Json.object();
        n.put("outcome", "approved");
        n.set("request", DeviceJson.request(a.request()));
        n.set("device", DeviceJson.device(a.device()));
        yield HppResponse.json(200, n);
      }
      case DeviceResolution.Rejected j -> {
        ObjectNode n = Json.object();
        n.put("outcome", "rejected");
        n.set("request", DeviceJson.request(j.request()));
        yield HppResponse.json(200, n);
      }
      case DeviceResolution.Failed f -> error(
          f.failure() == DeviceResolution.Failure.NOT_FOUND ? 404 : 409,
          f.failure().code(), f.failure().message());
    };
  }

  private HppResponse revoke(JsonNode body, String actor) {
    String device = required(body, "device_id", MAX_ID);
    String role = required(body, "role", MAX_TEXT);
    return store.revoke(device, role, actor)
        .map(t -> HppResponse.json(200, Json.object().put("outcome", "revoked")
            .set("token", DeviceJson.token(t))))
        .orElseGet(() -> error(404, "not_found",
            "the device has no live token for role '" + role + "'"));
  }

  private HppResponse rotate(JsonNode body, String actor) {
    String device = required(body, "device_id", MAX_ID);
    String role = required(body, "role", MAX_TEXT);
    return switch (store.rotate(device, role, actor)) {
      case TokenIssue.Issued i -> {
        ObjectNode n = Json.object();
        n.put("outcome", "rotated");
        n.put("device_id", device);
        n.put("role", role);
        n.put("token", i.secret().reveal());
        n.set("record", DeviceJson.token(i.token()));
        yield HppResponse.json(200, n);
      }
      case TokenIssue.Kept k -> error(409, "conflict", "no new token was issued");
      case TokenIssue.Refused r -> error(404, r.reason().code(),
          "the device is not paired, or the role is not approved for it");
    };
  }

  private HppResponse remove(JsonNode body, String actor) {
    String device = required(body, "device_id", MAX_ID);
    return store.remove(device, actor)
        .map(d -> HppResponse.json(200, Json.object().put("outcome", "removed")
            .set("device", DeviceJson.device(d))))
        .orElseGet(() -> error(404, "not_found", "no paired device has this id"));
  }

  private HppResponse setupCode(JsonNode body, String actor) {
    String url = required(body, "url", 2048);
    List<String> urls = new ArrayList<>();
    JsonNode u = body.path("urls");
    if (!u.isMissingNode() && !u.isNull()) {
      if (!u.isArray() || u.size() > SetupCode.MAX_URLS) {
        throw new BadInput("'urls' must be an array of at most " + SetupCode.MAX_URLS + " URLs");
      }
      for (JsonNode x : u) {
        if (!x.isString()) {
          throw new BadInput("'urls' must be an array of strings");
        }
        urls.add(x.stringValue());
      }
    }
    return switch (store.issueBootstrap(actor)) {
      case BootstrapIssue.Issued i -> {
        SetupCode code;
        try {
          code = SetupCode.of(url, urls, i.secret());
        } catch (IllegalArgumentException e) {
          // the token was issued already; it is unusable without its code and expires unseen
          throw new BadInput(e.getMessage());
        }
        ObjectNode n = Json.object();
        n.put("setup_code", code.reveal());
        n.put("url", url);
        n.put("bootstrap_id", i.token().id());
        n.put("expires_at", i.token().expiresAt().toString());
        yield HppResponse.json(201, n);
      }
      case BootstrapIssue.Full f -> rateLimited(seconds(f.retryAfter()));
    };
  }

  private static String required(JsonNode body, String field, int max) {
    return optionalText(body, field, max).orElseThrow(() -> new BadInput(
        "'" + field + "' is required and must be a non-empty string"));
  }

  private static Optional<String> optionalText(JsonNode body, String field, int max) {
    JsonNode v = body.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isString() || v.stringValue().isBlank()) {
      throw new BadInput("'" + field + "' must be a non-empty string");
    }
    if (v.stringValue().length() > max) {
      throw new BadInput("'" + field + "' is longer than " + max + " characters");
    }
    return Optional.of(v.stringValue());
  }

  private static long seconds(Duration d) {
    return Math.max(1, (d.toMillis() + 999) / 1000);
  }

  private static HppResponse error(int status, String code, String message) {
    return PairingHttpApi.error(status, code, message);
  }

  private static HppResponse rateLimited(long seconds) {
    ObjectNode n = Json.object();
    n.put("error", "rate_limited");
    n.put("message", "too many calls; retry after " + seconds + " s");
    n.put("retry_after_seconds", seconds);
    return HppResponse.json(429, n).withHeader("Retry-After", Long.toString(seconds));
  }

  /** Bad input from the wire, answered with 400; never leaves this class. */
  private static final class BadInput extends RuntimeException {
    BadInput(String message) {
      super(message, null, false, false);
    }
  }
}
