package dev.handshake.pairing.flow;

import java.time.Duration;

/**
 * Limits of {@link AccessTokens}; every one bounded.
 *
 * @param defaultLifetime how long a token lives unless the issuer says otherwise (default 1 h,
 *     RFC 6750 §5.3's "one hour or less")
 * @param maxLifetime the longest lifetime an issuer may ask for (default 24 h)
 * @param maxPerRequester live tokens one requester may hold; issuing another drops its oldest
 *     (default 16)
 */
public record AccessTokenConfig(
    Duration defaultLifetime, Duration maxLifetime, int maxPerRequester) {
  public AccessTokenConfig {
    if (defaultLifetime.isNegative() || defaultLifetime.isZero()
        || maxLifetime.compareTo(defaultLifetime) < 0
        || maxLifetime.compareTo(Duration.ofDays(365)) > 0) {
      throw new IllegalArgumentException(
          "need 0 < defaultLifetime <= maxLifetime <= 365 days, got " + defaultLifetime + ", "
              + maxLifetime);
    }
    if (maxPerRequester < 1 || maxPerRequester > 1_000) {
      throw new IllegalArgumentException("maxPerRequester must lie between 1 and 1000");
    }
  }

  public static AccessTokenConfig defaults() {
    return new AccessTokenConfig(Duration.ofHours(1), Duration.ofHours(24), 16);
  }

  public AccessTokenConfig defaultLifetime(Duration lifetime) {
    return new AccessTokenConfig(lifetime, maxLifetime.compareTo(lifetime) < 0 ? lifetime
        : maxLifetime, maxPerRequester);
  }
}
