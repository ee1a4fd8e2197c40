package dev.handshake.pairing.http;

import dev.handshake.json.Json;
import dev.handshake.pairing.auth.AuthRequest;
import dev.handshake.pairing.auth.AuthResult;
import dev.handshake.pairing.flow.AccessTokens;
import dev.handshake.pairing.flow.DeviceAuthorization;
import dev.handshake.pairing.flow.DeviceFlow;
import dev.handshake.pairing.flow.DeviceFlowError;
import dev.handshake.pairing.flow.StartOutcome;
import dev.handshake.pairing.flow.TokenResponse;
import dev.handshake.pairing.dpop.DpopCheck;
import dev.handshake.pairing.dpop.DpopVerifier;
import dev.handshake.session.HppResponse;
import dev.handshake.session.QueryStrings;
import dev.handshake.session.http.HttpApiRequest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * The RFC 8628 device authorization grant over HTTP (pairing.md §2.6, §3.2 rule 10), so that a
 * headless agent can ask a person for access; the owner's approval of the user code (CLI, admin
 * API) is the consent step.
 *
 * <table>
 * <caption>routes</caption>
 * <tr><td>{@code POST /oauth/device_authorization}</td><td>form {@code client_id}, {@code scope}
 *     → {@code device_code, user_code, verification_uri, verification_uri_complete, expires_in,
 *     interval} (§3.2)</td></tr>
 * <tr><td>{@code POST /oauth/token}</td><td>form {@code grant_type=urn:ietf:params:oauth:grant-type:device_code},
 *     {@code device_code}, {@code client_id} → {@code access_token, token_type, expires_in, scope},
 *     or 400 {@code authorization_pending | slow_down | access_denied | expired_token |
 *     invalid_grant} (§3.5)</td></tr>
 * <tr><td>{@code GET /device[?user_code=]}</td><td>the verification page: says that a
 *     <em>device</em> asks for access, shows the code and how the owner approves it (§5.4)</td></tr>
 * <tr><td>{@code GET /v1/pairing/whoami}</td><td>with {@code Authorization: Bearer <access
 *     token>}: the principal the token stands for; 401 once the grant is revoked</td></tr>
 * </table>
 */
public final class DeviceFlowHttpApi {
  public static final String AUTHORIZE = "/oauth/device_authorization";
  public static final String TOKEN = "/oauth/token";
  public static final String VERIFY_PAGE = "/device";
  public static final String WHOAMI = "/v1/pairing/whoami";
  public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";
  private static final int MAX_FORM = 8 * 1024;

  private final DeviceFlow flow;
  private final AccessTokens tokens;
  private final Optional<String> publicBaseUrl;

  /**
   * @param publicBaseUrl the server's public URL ({@code --public-url}) for {@code
   *     verification_uri}; without it the request's {@code Host} is used
   */
  public DeviceFlowHttpApi(DeviceFlow flow, AccessTokens tokens, Optional<String> publicBaseUrl) {
    this.flow = flow;
    this.tokens = tokens;
    this.publicBaseUrl = publicBaseUrl.map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
  }

  public boolean handles(String path) {
    return path.equals(AUTHORIZE) || path.equals(TOKEN) || path.equals(VERIFY_PAGE)
        || path.equals(WHOAMI);
  }

  public HppResponse handle(HttpApiRequest req) {
    HppResponse r = switch (req.path()) {
      case AUTHORIZE -> req.method().equals("POST") ? authorize(req) : notAllowed(req);
      case TOKEN -> req.method().equals("POST") ? token(req) : notAllowed(req);
      case VERIFY_PAGE -> req.method().equals("GET") ? page(req) : notAllowed(req);
      case WHOAMI -> req.method().equals("GET") ? whoami(req) : notAllowed(req);
      default -> PairingHttpApi.error(404, "not_found", "no endpoint at " + req.path());
    };
    return r.withHeader("Cache-Control", "no-store").withHeader("Pragma", "no-cache");
  }

  private static HppResponse notAllowed(HttpApiRequest req) {
    return PairingHttpApi.error(405, "method_not_allowed", req.method() + " is not allowed on " + req.path());
  }

  private static Optional<String> form(HttpApiRequest req, String name) {
    String body = new String(req.body(), StandardCharsets.UTF_8);
    return QueryStrings.first(body, name, true);
  }

  private static Optional<HppResponse> badForm(HttpApiRequest req) {
    if (req.body().length > MAX_FORM) {
      return Optional.of(oauthError(413, "invalid_request", "the form is larger than " + MAX_FORM + " bytes"));
    }
    String type = req.header("Content-Type").orElse("");
    if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      return Optional.of(oauthError(400, "invalid_request",
          "send the parameters as application/x-www-form-urlencoded (RFC 8628 §3.1)"));
    }
    return Optional.empty();
  }

  private HppResponse authorize(HttpApiRequest req) {
    Optional<HppResponse> bad = badForm(req);
    if (bad.isPresent()) {
      return bad.get();
    }
    Optional<String> clientId = form(req, "client_id");
    if (clientId.isEmpty()) {
      return oauthError(400, "invalid_request", "client_id is required");
    }
    ProofOutcome proof = tokenRequestProof(req, AUTHORIZE);
    if (proof instanceof ProofOutcome.Refused r) {
      return r.response();
    }
    Optional<String> jkt = ((ProofOutcome.Key) proof).jkt();
    Optional<String> named = form(req, "dpop_jkt");
    if (named.isPresent() && tokens.dpop().isPresent()) {
      if (!named.get().matches("[A-Za-z0-9_-]{43}")) {
        return oauthError(400, "invalid_request", "dpop_jkt must be a base64url SHA-256 thumbprint");
      }
      if (jkt.isPresent() && !jkt.equals(named)) {
        return oauthError(400, "invalid_dpop_proof", "dpop_jkt names another key than the DPoP proof");
      }
      jkt = named;
    }
    StartOutcome out = flow.start(clientId.get(), form(req, "scope").orElse(""),
        Optional.of(req.clientAddress()), jkt);
    return switch (out) {
      case StartOutcome.Started s -> {
        DeviceAuthorization a = s.authorization();
        String base = publicBaseUrl.orElseGet(() -> baseUri(req));
        String uri = base + VERIFY_PAGE;
        ObjectNode n = Json.object();
        n.put("device_code", a.deviceCode().reveal());
        n.put("user_code", a.userCode().display());
        n.put("verification_uri", uri);
        n.put("verification_uri_complete", uri + "?user_code=" + a.userCode().display());
        n.put("expires_in", a.expiresIn().toSeconds());
        n.put("interval", a.interval().toSeconds());
        yield HppResponse.json(200, n);
      }
      case StartOutcome.Refused r -> {
        int status = switch (r.error()) {
          case SLOW_DOWN -> 429;
          case TEMPORARILY_UNAVAILABLE -> 503;
          default -> 400;
        };
        HppResponse resp = oauthError(status, r.error().code(), r.description());
        yield r.retryAfter().isPositive()
            ? resp.withHeader("Retry-After", Long.toString(Math.max(1, r.retryAfter().toSeconds())))
            : resp;
      }
    };
  }

  private HppResponse token(HttpApiRequest req) {
    Optional<HppResponse> bad = badForm(req);
    if (bad.isPresent()) {
      return bad.get();
    }
    Optional<String> grant = form(req, "grant_type");
    if (grant.isEmpty()) {
      return oauthError(400, "invalid_request", "grant_type is required");
    }
    if (!grant.get().equals(GRANT_TYPE)) {
      return oauthError(400, "unsupported_grant_type", "only " + GRANT_TYPE + " is served here");
    }
    Optional<String> deviceCode = form(req, "device_code");
    if (deviceCode.isEmpty()) {
      return oauthError(400, "invalid_request", "device_code is required");
    }
    ProofOutcome proof = tokenRequestProof(req, TOKEN);
    if (proof instanceof ProofOutcome.Refused refused) {
      return refused.response();
    }
    Optional<String> jkt = ((ProofOutcome.Key) proof).jkt();
    TokenResponse r = flow.poll(deviceCode.get(), form(req, "client_id"), jkt);
    return switch (r) {
      case TokenResponse.TokenIssued t -> {
        ObjectNode n = Json.object();
        n.put("access_token", t.accessToken().reveal());
        n.put("token_type", t.tokenType());
        n.put("expires_in", t.expiresIn().toSeconds());
        n.put("scope", t.scopeText());
        yield withNonce(HppResponse.json(200, n));
      }
      case TokenResponse.Error e -> {
        HppResponse resp = oauthError(e.error() == DeviceFlowError.SERVER_ERROR ? 503 : 400,
            e.error().code(), describe(e.error()));
        if (e.error().keepPolling()) {
          ObjectNode n = (ObjectNode) Json.mapper().readTree(resp.body());
          n.put("interval", e.interval().toSeconds());
          resp = new HppResponse(resp.status(), resp.contentType(), Json.bytes(n), resp.headers());
        }
        yield resp;
      }
    };
  }

  private static String describe(DeviceFlowError e) {
    return switch (e) {
      case AUTHORIZATION_PENDING -> "the owner has not approved this device yet";
      case SLOW_DOWN -> "polling too fast; wait the interval (now 5 s longer)";
      case ACCESS_DENIED -> "the owner denied this device";
      case EXPIRED_TOKEN -> "the device code expired; start again";
      case INVALID_GRANT -> "unknown device code, another client's, or its token was already issued";
      case INVALID_DPOP_PROOF -> "this device code was started with a DPoP key; poll with a proof made with it";
      default -> e.code();
    };
  }

  /** What a token-endpoint request's {@code DPoP} header came to. */
  private sealed interface ProofOutcome {
    /** No proof (or DPoP not served), or a valid proof of the key {@code jkt}. */
    record Key(Optional<String> jkt) implements ProofOutcome {}

    record Refused(HppResponse response) implements ProofOutcome {}
  }

  /**
   * Checks the {@code DPoP} header of a request to {@code endpoint} (RFC 9449 §5): errors are
   * 400 {@code invalid_dpop_proof} or {@code use_dpop_nonce} with a {@code DPoP-Nonce}. Without
   * DPoP served, the header is ignored and tokens are bearer tokens (§5: a server that does not
   * support DPoP ignores it).
   */
  private ProofOutcome tokenRequestProof(HttpApiRequest req, String endpoint) {
    if (tokens.dpop().isEmpty()) {
      return new ProofOutcome.Key(Optional.empty());
    }
    DpopVerifier verifier = tokens.dpop().get();
    Optional<String> header = req.header(DpopVerifier.HEADER);
    if (header.isEmpty()) {
      return verifier.config().requireProof() && endpoint.equals(TOKEN)
          ? new ProofOutcome.Refused(oauthError(400, DpopCheck.Invalid.ERROR,
              "this server issues only DPoP-bound tokens: send a DPoP proof header"))
          : new ProofOutcome.Key(Optional.empty());
    }
    return switch (verifier.check(header.get(), "POST", endpoint, req.header("Host"),
        Optional.empty())) {
      case DpopCheck.Valid v -> new ProofOutcome.Key(Optional.of(v.proof().jkt()));
      case DpopCheck.Invalid i ->
          new ProofOutcome.Refused(oauthError(400, DpopCheck.Invalid.ERROR, i.description()));
      case DpopCheck.NonceRequired n -> new ProofOutcome.Refused(
          oauthError(400, DpopCheck.NonceRequired.ERROR, n.description())
              .withHeader(DpopVerifier.NONCE_HEADER, n.nonce()));
      case DpopCheck.Unavailable u -> new ProofOutcome.Refused(
          oauthError(503, "temporarily_unavailable", u.description()).withHeader("Retry-After", "1"));
    };
  }

  /** {@code r} with a fresh {@code DPoP-Nonce} when the server demands nonces (RFC 9449 §8.2). */
  private HppResponse withNonce(HppResponse r) {
    return tokens.dpop().filter(v -> v.config().requireNonce())
        .map(v -> r.withHeader(DpopVerifier.NONCE_HEADER, v.freshNonce())).orElse(r);
  }

  private HppResponse whoami(HttpApiRequest req) {
    AuthResult r = tokens.check(new AuthRequest(req::header, req.rawQuery(), req.clientAddress(),
        req.method(), req.path()));
    if (!(r instanceof AuthResult.Authenticated a)) {
      return AuthChallenges.refuse(r, "handshake", tokens.dpop().map(DpopVerifier::config),
          "send Authorization: Bearer <access token>");
    }
    ObjectNode n = Json.object();
    n.put("principal", a.principal().id());
    n.put("role", a.principal().role());
    a.principal().scopes().stream().sorted().forEach(n.putArray("scopes")::add);
    ObjectNode meta = n.putObject("metadata");
    a.principal().metadata().forEach(meta::put);
    return withNonce(HppResponse.json(200, n));
  }

  private HppResponse page(HttpApiRequest req) {
    String code = req.rawQuery().flatMap(q -> QueryStrings.first(q, "user_code", true))
        .flatMap(c -> dev.handshake.pairing.PairingCode.parse(c, dev.handshake.pairing.CodeAlphabet.REFERENCE))
        .map(dev.handshake.pairing.PairingCode::display).orElse("");
    String shown = code.isEmpty() ? "the code shown on the device" : code;
    String html = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Authorise a device</title>
        <meta name="viewport" content="width=device-width, initial-scale=1"></head>
        <body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto">
        <h1>A device is asking for access</h1>
        <p>A <strong>device or agent</strong> asked this server for access and shows the code
        <code id="user-code" style="font-size: 1.5rem">%s</code>.</p>
        <p><strong>Only approve it if you started this on a device that is yours.</strong>
        If you did not, ignore it: the code expires on its own.</p>
        <p>The server's owner approves it with:</p>
        <pre id="approve-command">handshake pair approve %s</pre>
        <p>or denies it with <code>handshake pair deny %s</code>.</p>
        </body></html>
        """.formatted(code.isEmpty() ? "—" : code, shown, shown);
    return new HppResponse(200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8),
        java.util.Map.of("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'",
            "X-Frame-Options", "DENY"));
  }

  private static String baseUri(HttpApiRequest req) {
    String host = req.header("Host").filter(h -> h.matches("[A-Za-z0-9.\\-:\\[\\]]{1,255}"))
        .orElse("127.0.0.1");
    return "http://" + host;
  }

  private static HppResponse oauthError(int status, String code, String description) {
    ObjectNode n = Json.object();
    n.put("error", code);
    n.put("error_description", description);
    return HppResponse.json(status, n);
  }
}
