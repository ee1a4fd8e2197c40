package dev.handshake.pairing.device;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link ChallengeStore} for one process: nonces in issue order with their expiry, so expired
 * ones are dropped from the head on every call. One lock; every operation is O(1) amortised.
 */
public final class InMemoryChallengeStore implements ChallengeStore {
  /** Random bytes in a nonce. */
  public static final int NONCE_BYTES = 32;

  private final Clock clock;
  private final SecureRandom random;
  private final int maxOutstanding;
  private final Duration lifetime;
  private final LinkedHashMap<String, Instant> live = new LinkedHashMap<>();

  private InMemoryChallengeStore(
      Clock clock, SecureRandom random, int maxOutstanding, Duration lifetime) {
    if (maxOutstanding < 1) {
      throw new IllegalArgumentException("maxOutstanding must be at least 1");
    }
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("a challenge lifetime must be positive");
    }
    this.clock = clock;
    this.random = random;
    this.maxOutstanding = maxOutstanding;
    this.lifetime = lifetime;
  }

  /** A store with the limits of {@code config} ({@code maxChallenges}, {@code challengeLifetime}). */
  public static InMemoryChallengeStore create(
      DevicePairingConfig config, Clock clock, SecureRandom random) {
    return new InMemoryChallengeStore(
        clock, random, config.maxChallenges(), config.challengeLifetime());
  }

  @Override
  public synchronized Issue issue() {
    Instant now = clock.instant();
    dropExpired(now);
    if (live.size() >= maxOutstanding) {
      Instant oldest = live.values().iterator().next();
      Duration wait = Duration.between(now, oldest);
      return new Issue.Full(wait.isNegative() ? Duration.ZERO : wait);
    }
    String nonce;
    do {
      byte[] raw = new byte[NONCE_BYTES];
      random.nextBytes(raw);
      nonce = Base64Url.encode(raw);
    } while (live.containsKey(nonce));
    live.put(nonce, now.plus(lifetime));
    return new Issue.Issued(new Challenge(nonce, now.toEpochMilli()));
  }

  @Override
  public synchronized boolean consume(String nonce) {
    Instant now = clock.instant();
    dropExpired(now);
    Instant expiresAt = live.remove(nonce);
    return expiresAt != null && now.isBefore(expiresAt);
  }

  @Override
  public synchronized int outstanding() {
    return live.size();
  }

  /** Issue order is expiry order while the clock moves forward; a clock step back only delays. */
  private void dropExpired(Instant now) {
    Iterator<Map.Entry<String, Instant>> it = live.entrySet().iterator();
    while (it.hasNext()) {
      if (now.isBefore(it.next().getValue())) {
        return;
      }
      it.remove();
    }
  }
}
