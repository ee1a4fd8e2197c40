package dev.handshake.pairing.flow;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

/**
 * Settings of the device flow (RFC 8628 §3.2, §3.5); every one is bounded. The flow's lifetime
 * ({@code expires_in}) is the pairing store's code lifetime ({@code pairing.code.ttl}) and the
 * token lifetime is {@link AccessTokenConfig#defaultLifetime()}, so neither is repeated here.
 *
 * @param verificationUri where the user goes to enter the code: an absolute http(s) URI
 * @param interval the minimum time between polls a flow starts with (default 5 s, RFC 8628's)
 * @param maxInterval the most {@code slow_down} can grow the interval to (default 5 min)
 * @param keepExpired how long a flow is remembered after it expired, so that a late poll hears
 *     {@code expired_token} rather than {@code invalid_grant} (default 1 day)
 * @param allowedScopes scopes a client may ask for; empty allows any well-formed scope
 */
public record DeviceFlowConfig(
    URI verificationUri,
    Duration interval,
    Duration maxInterval,
    Duration keepExpired,
    Set<String> allowedScopes) {
  /** What {@code slow_down} adds to the interval, for that poll and every later one (§3.5). */
  public static final Duration SLOW_DOWN_STEP = Duration.ofSeconds(5);

  public DeviceFlowConfig {
    if (!verificationUri.isAbsolute() || verificationUri.getRawFragment() != null
        || !("https".equalsIgnoreCase(verificationUri.getScheme())
            || "http".equalsIgnoreCase(verificationUri.getScheme()))) {
      throw new IllegalArgumentException(
          "the verification URI must be an absolute http(s) URI without a fragment: "
              + verificationUri);
    }
    if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("the polling interval must be at least 1 s");
    }
    if (maxInterval.compareTo(interval) < 0 || maxInterval.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("maxInterval must lie between interval and 1 h");
    }
    if (keepExpired.isNegative() || keepExpired.compareTo(Duration.ofDays(30)) > 0) {
      throw new IllegalArgumentException("keepExpired must lie between 0 and 30 days");
    }
    allowedScopes = Set.copyOf(allowedScopes);
    allowedScopes.forEach(s -> {
      if (!Scopes.validToken(s)) {
        throw new IllegalArgumentException("not a scope token: " + s);
      }
    });
  }

  /** The defaults with {@code verificationUri}. */
  public static DeviceFlowConfig of(URI verificationUri) {
    return new DeviceFlowConfig(verificationUri, Duration.ofSeconds(5), Duration.ofMinutes(5),
        Duration.ofDays(1), Set.of());
  }

  public DeviceFlowConfig interval(Duration start, Duration max) {
    return new DeviceFlowConfig(verificationUri, start, max, keepExpired, allowedScopes);
  }

  public DeviceFlowConfig keepExpired(Duration keep) {
    return new DeviceFlowConfig(verificationUri, interval, maxInterval, keep, allowedScopes);
  }

  public DeviceFlowConfig allowedScopes(Set<String> scopes) {
    return new DeviceFlowConfig(verificationUri, interval, maxInterval, keepExpired, scopes);
  }
}
