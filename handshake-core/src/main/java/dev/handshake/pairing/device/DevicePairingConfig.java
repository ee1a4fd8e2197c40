package dev.handshake.pairing.device;

import java.time.Duration;

/**
 * Limits, lifetimes and switches of device pairing (pairing.md §2.4, §3.2 rule 7); every limit is
 * bounded and can be changed. {@link #defaults()} are ours.
 *
 * @param challengeLifetime how long an issued nonce can be used (default 2 minutes)
 * @param maxChallenges nonces outstanding at once (default 10,000); more are refused, not evicted
 * @param signatureSkew how far {@code signedAtMs} may be from the server's clock, either way
 *     (default 2 minutes)
 * @param openclawDeviceAuth {@code pairing.compat.openclawDeviceAuth}: also accept OpenClaw {@code
 *     v2|…} and {@code v3|…} signed payloads (default false)
 * @param requestTtl how long a pending device request lives; a retry refreshes it (default 5
 *     minutes, OpenClaw's {@code PENDING_TTL_MS})
 * @param pendingGlobal pending device requests in the whole store (default 1,000)
 * @param pendingPerAddress pending device requests opened from one remote address (default 20), so
 *     one client minting keys cannot fill the store alone
 * @param maxScopes scopes one device may ask for (default 32)
 * @param bootstrapTtl how long a bootstrap (setup/QR) token can be redeemed (default 10 minutes,
 *     OpenClaw's {@code DEVICE_BOOTSTRAP_TOKEN_TTL_MS})
 * @param bootstrapLive unredeemed, unexpired bootstrap tokens at once (default 100)
 * @param autoApproveLoopback approve, without an operator, a first-time request for role {@code
 *     node} with no scopes from a direct loopback peer (default false; pairing.md §4 item 15)
 * @param keepResolved how long resolved requests and events stay readable (default 30 days)
 */
public record DevicePairingConfig(
    Duration challengeLifetime,
    int maxChallenges,
    Duration signatureSkew,
    boolean openclawDeviceAuth,
    Duration requestTtl,
    int pendingGlobal,
    int pendingPerAddress,
    int maxScopes,
    Duration bootstrapTtl,
    int bootstrapLive,
    boolean autoApproveLoopback,
    Duration keepResolved) {

  public DevicePairingConfig {
    positive("challengeLifetime", challengeLifetime);
    positive("signatureSkew", signatureSkew);
    positive("requestTtl", requestTtl);
    positive("bootstrapTtl", bootstrapTtl);
    positive("keepResolved", keepResolved);
    atLeastOne("maxChallenges", maxChallenges);
    atLeastOne("pendingGlobal", pendingGlobal);
    atLeastOne("pendingPerAddress", pendingPerAddress);
    atLeastOne("bootstrapLive", bootstrapLive);
    if (maxScopes < 0 || maxScopes > 256) {
      throw new IllegalArgumentException("maxScopes must be 0 to 256, was " + maxScopes);
    }
  }

  public static DevicePairingConfig defaults() {
    return new DevicePairingConfig(Duration.ofMinutes(2), 10_000, Duration.ofMinutes(2), false,
        Duration.ofMinutes(5), 1_000, 20, 32, Duration.ofMinutes(10), 100, false,
        Duration.ofDays(30));
  }

  public DevicePairingConfig challenges(int max, Duration lifetime) {
    return new DevicePairingConfig(lifetime, max, signatureSkew, openclawDeviceAuth, requestTtl,
        pendingGlobal, pendingPerAddress, maxScopes, bootstrapTtl, bootstrapLive,
        autoApproveLoopback, keepResolved);
  }

  public DevicePairingConfig signatureSkew(Duration skew) {
    return new DevicePairingConfig(challengeLifetime, maxChallenges, skew, openclawDeviceAuth,
        requestTtl, pendingGlobal, pendingPerAddress, maxScopes, bootstrapTtl, bootstrapLive,
        autoApproveLoopback, keepResolved);
  }

  public DevicePairingConfig openclawDeviceAuth(boolean enabled) {
    return new DevicePairingConfig(challengeLifetime, maxChallenges, signatureSkew, enabled,
        requestTtl, pendingGlobal, pendingPerAddress, maxScopes, bootstrapTtl, bootstrapLive,
        autoApproveLoopback, keepResolved);
  }

  public DevicePairingConfig requestTtl(Duration ttl) {
    return new DevicePairingConfig(challengeLifetime, maxChallenges, signatureSkew,
        openclawDeviceAuth, ttl, pendingGlobal, pendingPerAddress, maxScopes, bootstrapTtl,
        bootstrapLive, autoApproveLoopback, keepResolved);
  }

  public DevicePairingConfig pendingCaps(int global, int perAddress) {
    return new DevicePairingConfig(challengeLifetime, maxChallenges, signatureSkew,
        openclawDeviceAuth, requestTtl, global, perAddress, maxScopes, bootstrapTtl,
        bootstrapLive, autoApproveLoopback, keepResolved);
  }

  public DevicePairingConfig bootstrap(Duration ttl, int live) {
    return new DevicePairingConfig(challengeLifetime, maxChallenges, signatureSkew,
        openclawDeviceAuth, requestTtl, pendingGlobal, pendingPerAddress, maxScopes, ttl, live,
        autoApproveLoopback, keepResolved);
  }

  public DevicePairingConfig autoApproveLoopback(boolean enabled) {
    return new DevicePairingConfig(challengeLifetime, maxChallenges, signatureSkew,
        openclawDeviceAuth, requestTtl, pendingGlobal, pendingPerAddress, maxScopes, bootstrapTtl,
        bootstrapLive, enabled, keepResolved);
  }

  private static void positive(String name, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
  }

  private static void atLeastOne(String name, int n) {
    if (n < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, was " + n);
    }
  }
}
