package dev.handshake.session;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every setting of the Sessions capability, with the defaults of hpp.md §3. {@link #reference()}
 * sets each compatibility switch to the reference (handshake-prompt 0.2.x) behaviour.
 *
 * @param prefix HTTP prefix, default {@code /handshake} (trailing slash stripped)
 * @param wsPrefix WebSocket prefix, default {@code /ws/handshake}
 * @param ttl idle time-to-live of a new session
 * @param rateLimitPerMinute context/action/diff requests per session per minute
 * @param maxBodyBytes largest accepted request body (413 above)
 * @param maxActions most actions in one request (400 above)
 * @param maxIntervalMs upper clamp of {@code intervalMs}; negative means unbounded (reference)
 * @param maxPacing total pacing per action request; {@code null} means unbounded (reference)
 * @param sleepAfterLastAction whether form-fill sleeps after the last applied action (reference)
 * @param maxSessionLifetime absolute lifetime; {@code null} means unlimited (reference)
 * @param maxTotalExtension total seconds all extends of one session may add
 * @param extendPerMinute extend calls per session per minute; 0 disables the limit (reference)
 * @param maxSchemaFields most fields in a form-fill schema
 * @param maxKeyLength longest field key
 * @param maxLiveSessions global cap on live sessions; 0 means unlimited (reference)
 * @param createPerMinutePerAddress session creations per client address per minute; 0 = off
 * @param failedAuthPerMinute failed token attempts per sid or per address per minute before 429;
 *     0 disables
 * @param allowQueryToken {@code hpp.http.allowQueryToken}: accept {@code ?token=} on HTTP
 * @param notifyRequireBinding {@code hpp.notify.requireBinding}: notify needs the browser cookie
 * @param formFillAllowUnknownKeys {@code hpp.formFill.allowUnknownKeys}
 * @param unknownModeFallsBackToDefault {@code hpp.modes.unknownFallsBackToDefault}
 * @param createAllowNoOrigin {@code hpp.create.allowNoOrigin}: create without Origin/Referer
 * @param refreshOnLookup reference quirk: any request naming the sid refreshes the idle timer
 * @param compareSinceAsString reference quirk: diff {@code since} compared as a string
 * @param decodeWsQueryToken percent-decode the WebSocket {@code ?token=} (reference: raw)
 * @param allowedModes modes a creator may pick ({@code hpp.modes.allowed})
 * @param allowedOrigins browser origins allowed to create sessions and notify; empty means the
 *     server's own origin only
 * @param wsAllowedOrigins origins allowed to open the WebSocket; empty means any
 * @param corsAllowedOrigins origins that receive CORS headers; never reflected otherwise
 * @param createKey optional key that lets server-to-server callers create sessions without an
 *     Origin ({@code X-Handshake-Create-Key})
 * @param heartbeatInterval inbound silence after which a WebSocket gets {@code heartbeat}
 * @param sweepInterval how often expired sessions are removed and their sockets closed
 * @param wsMaxPendingBytes outbound bytes a slow WebSocket may have queued before it is dropped
 * @param historyLimit change-log entries retained per session
 * @param diffDefaultCount entries returned by diff without a cursor
 * @param bindingCookieSecure mark the browser-binding cookie {@code Secure} (browsers accept it
 *     on {@code http://localhost} and {@code 127.0.0.1}; turn off only for plain-HTTP LAN hosts)
 */
public record SessionConfig(
    String prefix,
    String wsPrefix,
    Duration ttl,
    int rateLimitPerMinute,
    int maxBodyBytes,
    int maxActions,
    int maxIntervalMs,
    Optional<Duration> maxPacing,
    boolean sleepAfterLastAction,
    Optional<Duration> maxSessionLifetime,
    Duration maxTotalExtension,
    int extendPerMinute,
    int maxSchemaFields,
    int maxKeyLength,
    int maxLiveSessions,
    int createPerMinutePerAddress,
    int failedAuthPerMinute,
    boolean allowQueryToken,
    boolean notifyRequireBinding,
    boolean formFillAllowUnknownKeys,
    boolean unknownModeFallsBackToDefault,
    boolean createAllowNoOrigin,
    boolean refreshOnLookup,
    boolean compareSinceAsString,
    boolean decodeWsQueryToken,
    List<String> allowedModes,
    List<String> allowedOrigins,
    List<String> wsAllowedOrigins,
    List<String> corsAllowedOrigins,
    Optional<String> createKey,
    Duration heartbeatInterval,
    Duration sweepInterval,
    int wsMaxPendingBytes,
    int historyLimit,
    int diffDefaultCount,
    boolean bindingCookieSecure) {

  public SessionConfig {
    prefix = stripTrailingSlash(prefix);
    wsPrefix = stripTrailingSlash(wsPrefix);
    allowedModes = List.copyOf(allowedModes);
    allowedOrigins = List.copyOf(allowedOrigins);
    wsAllowedOrigins = List.copyOf(wsAllowedOrigins);
    corsAllowedOrigins = List.copyOf(corsAllowedOrigins);
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive");
    }
    if (maxBodyBytes <= 0 || maxActions <= 0 || historyLimit <= 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }

  private static String stripTrailingSlash(String p) {
    String s = p;
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  /** Our hardened defaults (hpp.md §3). */
  public static SessionConfig defaults() {
    return builder().build();
  }

  /** Every compatibility switch at the reference value (the {@code reference} profile). */
  public static SessionConfig reference() {
    return builder().referenceProfile().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builder for {@link SessionConfig}; starts from the hardened defaults. */
  public static final class Builder {
    private String prefix = "/handshake";
    private String wsPrefix = "/ws/handshake";
    private Duration ttl = Duration.ofSeconds(1800);
    private int rateLimitPerMinute = 60;
    private int maxBodyBytes = 1 << 20;
    private int maxActions = 500;
    private int maxIntervalMs = 2000;
    private Optional<Duration> maxPacing = Optional.of(Duration.ofSeconds(10));
    private boolean sleepAfterLastAction = false;
    private Optional<Duration> maxSessionLifetime = Optional.of(Duration.ofHours(24));
    private Duration maxTotalExtension = Duration.ofHours(24);
    private int extendPerMinute = 10;
    private int maxSchemaFields = 500;
    private int maxKeyLength = 256;
    private int maxLiveSessions = 10_000;
    private int createPerMinutePerAddress = 30;
    private int failedAuthPerMinute = 10;
    private boolean allowQueryToken = false;
    private boolean notifyRequireBinding = true;
    private boolean formFillAllowUnknownKeys = false;
    private boolean unknownModeFallsBackToDefault = false;
    private boolean createAllowNoOrigin = false;
    private boolean refreshOnLookup = false;
    private boolean compareSinceAsString = false;
    private boolean decodeWsQueryToken = true;
    private List<String> allowedModes = List.of("form-fill", "default");
    private List<String> allowedOrigins = List.of();
    private List<String> wsAllowedOrigins = List.of();
    private List<String> corsAllowedOrigins = List.of();
    private Optional<String> createKey = Optional.empty();
    private Duration heartbeatInterval = Duration.ofSeconds(60);
    private Duration sweepInterval = Duration.ofSeconds(5);
    private int wsMaxPendingBytes = 1 << 20;
    private int historyLimit = 200;
    private int diffDefaultCount = 50;
    private boolean bindingCookieSecure = true;

    Builder() {}

    Builder(SessionConfig c) {
      prefix = c.prefix;
      wsPrefix = c.wsPrefix;
      ttl = c.ttl;
      rateLimitPerMinute = c.rateLimitPerMinute;
      maxBodyBytes = c.maxBodyBytes;
      maxActions = c.maxActions;
      maxIntervalMs = c.maxIntervalMs;
      maxPacing = c.maxPacing;
      sleepAfterLastAction = c.sleepAfterLastAction;
      maxSessionLifetime = c.maxSessionLifetime;
      maxTotalExtension = c.maxTotalExtension;
      extendPerMinute = c.extendPerMinute;
      maxSchemaFields = c.maxSchemaFields;
      maxKeyLength = c.maxKeyLength;
      maxLiveSessions = c.maxLiveSessions;
      createPerMinutePerAddress = c.createPerMinutePerAddress;
      failedAuthPerMinute = c.failedAuthPerMinute;
      allowQueryToken = c.allowQueryToken;
      notifyRequireBinding = c.notifyRequireBinding;
      formFillAllowUnknownKeys = c.formFillAllowUnknownKeys;
      unknownModeFallsBackToDefault = c.unknownModeFallsBackToDefault;
      createAllowNoOrigin = c.createAllowNoOrigin;
      refreshOnLookup = c.refreshOnLookup;
      compareSinceAsString = c.compareSinceAsString;
      decodeWsQueryToken = c.decodeWsQueryToken;
      allowedModes = c.allowedModes;
      allowedOrigins = c.allowedOrigins;
      wsAllowedOrigins = c.wsAllowedOrigins;
      corsAllowedOrigins = c.corsAllowedOrigins;
      createKey = c.createKey;
      heartbeatInterval = c.heartbeatInterval;
      sweepInterval = c.sweepInterval;
      wsMaxPendingBytes = c.wsMaxPendingBytes;
      historyLimit = c.historyLimit;
      diffDefaultCount = c.diffDefaultCount;
      bindingCookieSecure = c.bindingCookieSecure;
    }

    /**
     * The reference profile: every compatibility switch of hpp.md §3 at its reference value, and
     * the reference's unbounded pacing. Hardening that no reference client can observe (body
     * limits, Retry-After, JSON errors) stays on.
     */
    public Builder referenceProfile() {
      allowQueryToken = true;
      notifyRequireBinding = false;
      formFillAllowUnknownKeys = true;
      unknownModeFallsBackToDefault = true;
      createAllowNoOrigin = true;
      maxSessionLifetime = Optional.empty();
      maxTotalExtension = Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L);
      extendPerMinute = 0;
      maxIntervalMs = -1;
      maxPacing = Optional.empty();
      sleepAfterLastAction = true;
      maxLiveSessions = 0;
      createPerMinutePerAddress = 0;
      failedAuthPerMinute = 0;
      refreshOnLookup = true;
      compareSinceAsString = true;
      decodeWsQueryToken = false;
      return this;
    }

    public Builder prefix(String v) { prefix = v; return this; }
    public Builder wsPrefix(String v) { wsPrefix = v; return this; }
    public Builder ttl(Duration v) { ttl = v; return this; }
    public Builder rateLimitPerMinute(int v) { rateLimitPerMinute = v; return this; }
    public Builder maxBodyBytes(int v) { maxBodyBytes = v; return this; }
    public Builder maxActions(int v) { maxActions = v; return this; }
    public Builder maxIntervalMs(int v) { maxIntervalMs = v; return this; }
    public Builder maxPacing(Optional<Duration> v) { maxPacing = v; return this; }
    public Builder sleepAfterLastAction(boolean v) { sleepAfterLastAction = v; return this; }
    public Builder maxSessionLifetime(Optional<Duration> v) { maxSessionLifetime = v; return this; }
    public Builder maxTotalExtension(Duration v) { maxTotalExtension = v; return this; }
    public Builder extendPerMinute(int v) { extendPerMinute = v; return this; }
    public Builder maxSchemaFields(int v) { maxSchemaFields = v; return this; }
    public Builder maxKeyLength(int v) { maxKeyLength = v; return this; }
    public Builder maxLiveSessions(int v) { maxLiveSessions = v; return this; }
    public Builder createPerMinutePerAddress(int v) { createPerMinutePerAddress = v; return this; }
    public Builder failedAuthPerMinute(int v) { failedAuthPerMinute = v; return this; }
    public Builder allowQueryToken(boolean v) { allowQueryToken = v; return this; }
    public Builder notifyRequireBinding(boolean v) { notifyRequireBinding = v; return this; }
    public Builder formFillAllowUnknownKeys(boolean v) { formFillAllowUnknownKeys = v; return this; }
    public Builder unknownModeFallsBackToDefault(boolean v) { unknownModeFallsBackToDefault = v; return this; }
    public Builder createAllowNoOrigin(boolean v) { createAllowNoOrigin = v; return this; }
    public Builder refreshOnLookup(boolean v) { refreshOnLookup = v; return this; }
    public Builder compareSinceAsString(boolean v) { compareSinceAsString = v; return this; }
    public Builder decodeWsQueryToken(boolean v) { decodeWsQueryToken = v; return this; }
    public Builder allowedModes(List<String> v) { allowedModes = v; return this; }
    public Builder allowedOrigins(List<String> v) { allowedOrigins = v; return this; }
    public Builder wsAllowedOrigins(List<String> v) { wsAllowedOrigins = v; return this; }
    public Builder corsAllowedOrigins(List<String> v) { corsAllowedOrigins = v; return this; }
    public Builder createKey(Optional<String> v) { createKey = v; return this; }
    public Builder heartbeatInterval(Duration v) { heartbeatInterval = v; return this; }
    public Builder sweepInterval(Duration v) { sweepInterval = v; return this; }
    public Builder wsMaxPendingBytes(int v) { wsMaxPendingBytes = v; return this; }
    public Builder historyLimit(int v) { historyLimit = v; return this; }
    public Builder diffDefaultCount(int v) { diffDefaultCount = v; return this; }
    public Builder bindingCookieSecure(boolean v) { bindingCookieSecure = v; return this; }

    public SessionConfig build() {
      return new SessionConfig(
          prefix, wsPrefix, ttl, rateLimitPerMinute, maxBodyBytes, maxActions, maxIntervalMs,
          maxPacing, sleepAfterLastAction, maxSessionLifetime, maxTotalExtension, extendPerMinute,
          maxSchemaFields, maxKeyLength, maxLiveSessions, createPerMinutePerAddress,
          failedAuthPerMinute, allowQueryToken, notifyRequireBinding, formFillAllowUnknownKeys,
          unknownModeFallsBackToDefault, createAllowNoOrigin, refreshOnLookup,
          compareSinceAsString, decodeWsQueryToken, allowedModes, allowedOrigins,
          wsAllowedOrigins, corsAllowedOrigins, createKey, heartbeatInterval, sweepInterval,
          wsMaxPendingBytes, historyLimit, diffDefaultCount, bindingCookieSecure);
    }
  }
}
