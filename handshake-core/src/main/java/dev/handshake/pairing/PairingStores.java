package dev.handshake.pairing;

import dev.handshake.store.RateLimiter;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * Builds a {@link PairingStore}: in memory (tests, a single process that may forget), or over
 * tables supplied by a store module (SQLite, the server's default and shared with the CLI:
 * {@code dev.handshake.store.sqlite.SqliteStores}; PostgreSQL; Redis).
 */
public final class PairingStores {
  /** Events kept by the in-memory store. */
  public static final int MEMORY_EVENTS = 10_000;

  private PairingStores() {}

  public static PairingStore inMemory(PairingConfig config, Pepper pepper, Clock clock) {
    return new PairingService(new InMemoryPairingTables(MEMORY_EVENTS), config, pepper,
        millis(clock), new SecureRandom());
  }

  /**
   * A store over {@code tables} supplied by another module (PostgreSQL, Redis): every pairing rule
   * comes from the same service as the in-memory and SQLite stores. Closing the store closes the
   * tables.
   */
  public static PairingStore over(
      PairingTables tables, PairingConfig config, Pepper pepper, Clock clock) {
    return new PairingService(tables, config, pepper, millis(clock), new SecureRandom());
  }

  /**
   * As {@link #over(PairingTables, PairingConfig, Pepper, Clock)}, counting the approval-attempt
   * limit ({@link PairingConfig#attemptsPerWindow}) and the request-creation limits in {@code
   * limits} instead of in this process's memory: with a limiter every node shares (Redis), an
   * approver's attempts on all nodes add up to the one limit.
   */
  public static PairingStore over(PairingTables tables, PairingConfig config, Pepper pepper,
      Clock clock, RateLimiter limits) {
    return new PairingService(tables, config, pepper, millis(clock), new SecureRandom(), limits);
  }

  /** Times are kept to the millisecond, so every store returns what it was given. */
  private static Clock millis(Clock clock) {
    return Clock.tick(clock, java.time.Duration.ofMillis(1));
  }
}
