package dev.handshake.store.redis;

import java.time.Duration;

/**
 * Limits of the Redis stores that run units of work under a lock: the pairing tables ({@link
 * RedisPairingTables}), the device tables ({@link RedisDeviceTables}) and the device flow store
 * ({@link RedisDeviceFlowStore}, which uses only the lock limits).
 *
 * @param lockLease how long a lock lives if its holder never releases it (default 5 s): a node that
 *     dies inside a unit of work blocks the others for at most this long, and a unit of work that
 *     outlives its lease is not saved
 * @param lockWait how long a unit of work waits for a lock another thread or node holds (default 6
 *     s, longer than the lease so that a dead holder's lock is outwaited); then {@link
 *     dev.handshake.store.StoreUnavailableException}
 * @param maxEvents events kept in an event log (default 100,000); the oldest beyond are dropped at
 *     commit, besides the age-based forgetting the stores' sweeps do
 */
public record RedisTableOptions(Duration lockLease, Duration lockWait, int maxEvents) {
  public static final RedisTableOptions DEFAULTS =
      new RedisTableOptions(Duration.ofSeconds(5), Duration.ofSeconds(6), 100_000);

  public RedisTableOptions {
    if (lockLease.toMillis() < 1 || lockWait.toMillis() < 1) {
      throw new IllegalArgumentException("lockLease and lockWait must be at least 1 ms");
    }
    if (maxEvents < 1) {
      throw new IllegalArgumentException("maxEvents must be at least 1: " + maxEvents);
    }
  }

  public RedisTableOptions withLockLease(Duration lease) {
    return new RedisTableOptions(lease, lockWait, maxEvents);
  }

  public RedisTableOptions withLockWait(Duration wait) {
    return new RedisTableOptions(lockLease, wait, maxEvents);
  }

  public RedisTableOptions withMaxEvents(int max) {
    return new RedisTableOptions(lockLease, lockWait, max);
  }
}
