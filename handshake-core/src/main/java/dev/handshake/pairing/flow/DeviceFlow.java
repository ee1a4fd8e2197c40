package dev.handshake.pairing.flow;

import dev.handshake.crypto.BearerSecret;
import dev.handshake.crypto.Sha256;
import dev.handshake.pairing.PairingRequest;
import dev.handshake.pairing.PairingStore;
import dev.handshake.pairing.Pepper;
import dev.handshake.pairing.RequestOutcome;
import dev.handshake.pairing.Requester;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The RFC 8628 device authorization grant over the pairing store (pairing.md §2.6, §3.2 rule 10,
 * §4 item 19): a headless client asks for access, a person approves the pairing request that
 * stands for it — by its code, from the CLI, the admin API or a chat button — and the client's
 * polling turns that approval into one bearer token.
 *
 * <p>Each flow is a pairing request of {@code Requester("device-flow", clientId, "flow-" + first 16
 * hex of SHA-256(device_code))}: it appears in the ordinary pending list, counts against the
 * store's caps (a client id is a channel account, so by default 3 pending flows per client) and
 * creation limits (per source address), and its code is the {@code user_code}. The device code is
 * kept only as an HMAC under {@code pepper.derive("device-code")}.
 *
 * <pre>{@code
 * DeviceFlow flow = DeviceFlow.create(pairing, SqliteStores.flows(dataDir), tokens,
 *     DeviceFlowConfig.of(URI.create("https://gw.example/device")), pepper, clock, random);
 * if (flow.start("my-cli", "read", Optional.of(ip)) instanceof StartOutcome.Started s) { ... }
 * TokenResponse r = flow.poll(deviceCodeFromForm, clientIdFromForm);
 * }</pre>
 */
public final class DeviceFlow {
  /** The channel type of device-flow pairing requests. */
  public static final String CHANNEL_TYPE = "device-flow";
  /** Random bytes in a device code. */
  public static final int DEVICE_CODE_BYTES = 32;
  /** Longest client id accepted. */
  public static final int MAX_CLIENT_ID = 128;
  private static final int MAX_DEVICE_CODE = 256;
  private static final int MAX_ADDRESS = 256;

  private final PairingStore pairing;
  private final DeviceFlowStore flows;
  private final AccessTokens tokens;
  private final DeviceFlowConfig config;
  private final Pepper pepper;
  private final Clock clock;
  private final SecureRandom random;

  private DeviceFlow(PairingStore pairing, DeviceFlowStore flows, AccessTokens tokens,
      DeviceFlowConfig config, Pepper pepper, Clock clock, SecureRandom random) {
    this.pairing = pairing;
    this.flows = flows;
    this.tokens = tokens;
    this.config = config;
    this.pepper = pepper.derive("device-code");
    this.clock = Clock.tick(clock, Duration.ofMillis(1));
    this.random = random;
  }

  public static DeviceFlow create(PairingStore pairing, DeviceFlowStore flows, AccessTokens tokens,
      DeviceFlowConfig config, Pepper pepper, Clock clock, SecureRandom random) {
    return new DeviceFlow(pairing, flows, tokens, config, pepper, clock, random);
  }

  public DeviceFlowConfig config() {
    return config;
  }

  /**
   * Starts a flow (the device authorization request, RFC 8628 §3.1). Refusals: {@code
   * invalid_request} for a client id that is not 1 to {@value #MAX_CLIENT_ID} visible ASCII
   * characters, {@code invalid_scope}, {@code slow_down} when the store's creation limit for the
   * source address was reached, {@code temporarily_unavailable} when its pending caps are full.
   *
   * @param scope space-separated scopes, empty for none
   * @param remoteAddress the client's address, for the store's per-source creation limit and
   *     shown to the owner
   */
  public StartOutcome start(String clientId, String scope, Optional<String> remoteAddress) {
    return start(clientId, scope, remoteAddress, Optional.empty());
  }

  /**
   * {@link #start(String, String, Optional)} for a client that proved a DPoP key (or named one
   * with {@code dpop_jkt}): the device code is then redeemable only with a proof made with that
   * key, and the token it yields is bound to it.
   *
   * @param jkt the RFC 7638 thumbprint of the client's DPoP key
   */
  public StartOutcome start(String clientId, String scope, Optional<String> remoteAddress,
      Optional<String> jkt) {
    if (!validClientId(clientId)) {
      return refused(DeviceFlowError.INVALID_REQUEST,
          "client_id must be 1 to " + MAX_CLIENT_ID + " visible ASCII characters");
    }
    Optional<Set<String>> scopes = Scopes.parse(scope);
    if (scopes.isEmpty()) {
      return refused(DeviceFlowError.INVALID_SCOPE,
          "scope is malformed or longer than " + Scopes.MAX_CHARS + " characters");
    }
    if (!config.allowedScopes().isEmpty() && !config.allowedScopes().containsAll(scopes.get())) {
      return refused(DeviceFlowError.INVALID_SCOPE, "scope asks for more than this server grants");
    }
    BearerSecret deviceCode = BearerSecret.generate(random, DEVICE_CODE_BYTES);
    Requester requester = new Requester(CHANNEL_TYPE, clientId, senderId(deviceCode.reveal()));
    RequestOutcome outcome = pairing.request(requester, displayMeta(clientId, scopes.get(),
        remoteAddress), remoteAddress);
    return switch (outcome) {
      case RequestOutcome.Created c -> {
        PairingRequest r = c.request();
        FlowState state = new FlowState(pepper.hash(deviceCode.reveal()), r.requestId(), clientId,
            scopes.get(), config.interval(), Optional.empty(), r.expiresAt(), false, jkt);
        if (!flows.insert(state)) {
          yield refused(DeviceFlowError.SERVER_ERROR, "device code collision");
        }
        yield new StartOutcome.Started(new DeviceAuthorization(deviceCode, c.code(),
            config.verificationUri(), pairing.config().codeTtl(), config.interval(),
            r.requestId()));
      }
      case RequestOutcome.Refused r -> switch (r.reason()) {
        case THROTTLED -> new StartOutcome.Refused(DeviceFlowError.SLOW_DOWN, r.retryAfter(),
            "too many device flows started from this address lately");
        case ACCOUNT_FULL -> new StartOutcome.Refused(DeviceFlowError.TEMPORARILY_UNAVAILABLE,
            r.retryAfter(), "this client has the most pending device flows allowed");
        case STORE_FULL -> new StartOutcome.Refused(DeviceFlowError.TEMPORARILY_UNAVAILABLE,
            r.retryAfter(), "too many pending pairing requests");
      };
      // A fresh sender id cannot be paired or pending, short of a 64-bit hash collision.
      case RequestOutcome.Refreshed r -> refused(DeviceFlowError.SERVER_ERROR, "sender id in use");
      case RequestOutcome.AlreadyPaired p ->
          refused(DeviceFlowError.SERVER_ERROR, "sender id in use");
    };
  }

  /** A poll without {@code client_id} (see {@link #poll(String, String)}). */
  public TokenResponse poll(String deviceCode) {
    return poll(deviceCode, Optional.empty());
  }

  /**
   * One poll of the token endpoint with {@code grant_type=urn:ietf:params:oauth:grant-type:
   * device_code} (RFC 8628 §3.4–3.5). A device code of another client is {@code invalid_grant}.
   */
  public TokenResponse poll(String deviceCode, String clientId) {
    return poll(deviceCode, Optional.of(clientId));
  }

  private TokenResponse poll(String deviceCode, Optional<String> clientId) {
    return poll(deviceCode, clientId, Optional.empty());
  }

  /**
   * One poll, optionally with a verified DPoP proof's key thumbprint: the token issued is then
   * bound to that key ({@code token_type} {@code DPoP}). A flow started with a key answers {@code
   * invalid_dpop_proof} to a poll without that key, and its state does not change.
   */
  public TokenResponse poll(String deviceCode, Optional<String> clientId, Optional<String> jkt) {
    if (deviceCode.isEmpty()) {
      return error(DeviceFlowError.INVALID_REQUEST, config.interval());
    }
    if (deviceCode.length() > MAX_DEVICE_CODE) {
      return error(DeviceFlowError.INVALID_GRANT, config.interval());
    }
    String hash = pepper.hash(deviceCode);
    Optional<FlowState> found = flows.find(hash);
    if (found.isEmpty() || clientId.filter(c -> !c.equals(found.get().clientId())).isPresent()) {
      return error(DeviceFlowError.INVALID_GRANT, config.interval());
    }
    if (found.get().issued()) {
      return error(DeviceFlowError.INVALID_GRANT, found.get().interval());
    }
    if (found.get().jkt().isPresent() && !found.get().jkt().equals(jkt)) {
      return error(DeviceFlowError.INVALID_DPOP_PROOF, found.get().interval());
    }
    Instant now = clock.instant();
    Optional<PairingRequest> request = pairing.find(found.get().requestId());
    Status status = status(found.get(), request, now);
    Optional<Answer> answer = flows.update(hash, current -> decide(current, status, now));
    if (answer.isEmpty()) {
      return error(DeviceFlowError.INVALID_GRANT, config.interval());
    }
    return switch (answer.get()) {
      case Answer.Refuse r -> error(r.error(), r.interval());
      case Answer.Issue i -> issue(request.orElseThrow().requester(), i.scopes(), i.interval(), jkt);
    };
  }

  private TokenResponse issue(Requester requester, Set<String> scopes, Duration interval,
      Optional<String> jkt) {
    // The grant may have been revoked between the approval and this poll: no grant, no token.
    return tokens.issue(requester, scopes, tokens.config().defaultLifetime(), jkt)
        .<TokenResponse>map(t -> new TokenResponse.TokenIssued(t.token(),
            jkt.isPresent() ? TokenResponse.TokenIssued.DPOP : TokenResponse.TokenIssued.BEARER,
            tokens.config().defaultLifetime(), scopes))
        .orElseGet(() -> error(DeviceFlowError.ACCESS_DENIED, interval));
  }

  /** The one rule of a poll, applied inside the store's transaction to the current state. */
  private DeviceFlowStore.Change<Answer> decide(FlowState current, Status status, Instant now) {
    if (current.issued()) {
      return new DeviceFlowStore.Change<>(current,
          new Answer.Refuse(DeviceFlowError.INVALID_GRANT, current.interval()));
    }
    boolean tooSoon = current.lastPollAt()
        .filter(last -> now.isBefore(last.plus(current.interval()))).isPresent();
    if (tooSoon) {
      Duration grown = current.interval().plus(DeviceFlowConfig.SLOW_DOWN_STEP);
      if (grown.compareTo(config.maxInterval()) > 0) {
        grown = config.maxInterval();
      }
      return new DeviceFlowStore.Change<>(current.polled(now, grown),
          new Answer.Refuse(DeviceFlowError.SLOW_DOWN, grown));
    }
    FlowState polled = current.polled(now, current.interval());
    Answer answer = switch (status) {
      case APPROVED -> new Answer.Issue(current.scopes(), current.interval());
      case PENDING -> new Answer.Refuse(DeviceFlowError.AUTHORIZATION_PENDING, current.interval());
      case DENIED -> new Answer.Refuse(DeviceFlowError.ACCESS_DENIED, current.interval());
      case EXPIRED -> new Answer.Refuse(DeviceFlowError.EXPIRED_TOKEN, current.interval());
      case GONE -> new Answer.Refuse(DeviceFlowError.INVALID_GRANT, current.interval());
    };
    return new DeviceFlowStore.Change<>(
        answer instanceof Answer.Issue ? polled.markIssued() : polled, answer);
  }

  private static Status status(FlowState flow, Optional<PairingRequest> request, Instant now) {
    if (request.isEmpty()) {
      // The pairing store forgets resolved requests after a while; past expiry that is expiry.
      return now.isBefore(flow.expiresAt()) ? Status.GONE : Status.EXPIRED;
    }
    PairingRequest r = request.get();
    return switch (r.state()) {
      case PENDING -> r.expiredAt(now) ? Status.EXPIRED : Status.PENDING;
      case APPROVED -> Status.APPROVED;
      case DENIED -> Status.DENIED;
      case EXPIRED, SUPERSEDED -> Status.EXPIRED;
    };
  }

  /**
   * Forgets flows that expired longer than {@link DeviceFlowConfig#keepExpired()} ago (their
   * device codes then poll as {@code invalid_grant}); returns how many.
   */
  public int sweep() {
    return flows.forgetExpiredBefore(clock.instant().minus(config.keepExpired()));
  }

  /** The sender id of the flow whose device code is {@code deviceCode}. */
  static String senderId(String deviceCode) {
    return "flow-" + Sha256.hex(deviceCode).substring(0, 16);
  }

  /** The stored form of a device code. */
  String hash(String deviceCode) {
    return pepper.hash(deviceCode);
  }

  private static Map<String, String> displayMeta(
      String clientId, Set<String> scopes, Optional<String> address) {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("name", clientId);
    // Confirmation screens say a device is being authorised (RFC 8628 §5.4, rule 10).
    meta.put("kind", "device");
    meta.put("client_id", clientId);
    if (!scopes.isEmpty()) {
      meta.put("scope", Scopes.join(scopes));
    }
    address.filter(a -> !a.isEmpty() && a.length() <= MAX_ADDRESS)
        .ifPresent(a -> meta.put("address", a));
    return meta;
  }

  private static boolean validClientId(String clientId) {
    if (clientId.isEmpty() || clientId.length() > MAX_CLIENT_ID) {
      return false;
    }
    return clientId.chars().allMatch(c -> c >= 0x21 && c <= 0x7E);
  }

  private static StartOutcome refused(DeviceFlowError error, String description) {
    return new StartOutcome.Refused(error, Duration.ZERO, description);
  }

  private static TokenResponse error(DeviceFlowError error, Duration interval) {
    return new TokenResponse.Error(error, interval);
  }

  private enum Status { PENDING, APPROVED, DENIED, EXPIRED, GONE }

  private sealed interface Answer {
    record Refuse(DeviceFlowError error, Duration interval) implements Answer {}

    record Issue(Set<String> scopes, Duration interval) implements Answer {}
  }

  @Override
  public String toString() {
    return "DeviceFlow[" + config.verificationUri() + "]";
  }
}
