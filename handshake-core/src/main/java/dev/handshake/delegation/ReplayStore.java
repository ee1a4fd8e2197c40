package dev.handshake.delegation;

import java.time.Instant;

/**
 * Remembers which {@code (signer, nonce)} pairs a receiver has accepted, until each pair's packet
 * could no longer be accepted anyway (its expiry plus the clock skew). Shared by every instance of
 * one receiver, so a packet accepted by one is a replay at all.
 *
 * <p>The check and the record are one atomic step, run last, after everything else about the packet
 * verified (trusthandoff.md §3 item 6): a forged packet carrying a victim's nonce never burns it.
 * Implementations: {@link InMemoryReplayStore} and the durable {@code SqliteReplayStore}.
 */
public interface ReplayStore extends AutoCloseable {
  /** What {@link #checkAndRecord} found. */
  enum Outcome {
    /** First sighting: now recorded until {@code retainUntil}. */
    FIRST,
    /** The pair is already recorded and not yet expired: a replay. */
    REPLAY,
    /** The store holds its maximum of unexpired pairs; nothing was recorded. */
    FULL
  }

  /**
   * Atomically records {@code (signer, nonce)} until {@code retainUntil} unless it is already
   * recorded with a retention after {@code now}. Expired pairs count as absent.
   */
  Outcome checkAndRecord(String signer, String nonce, Instant retainUntil, Instant now);

  /** Unexpired pairs at {@code now} (for tests and metrics; may purge as a side effect). */
  long size(Instant now);

  @Override
  void close();
}
