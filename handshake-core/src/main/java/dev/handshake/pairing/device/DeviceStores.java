package dev.handshake.pairing.device;

import dev.handshake.pairing.Pepper;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

/**
 * Builds a {@link DeviceStore}: in memory (tests, a single process that may forget), or over
 * tables supplied by a store module (SQLite, the server's default and shared with the CLI:
 * {@code dev.handshake.store.sqlite.SqliteStores}; PostgreSQL; Redis). All hold the same rules;
 * only where rows live differs.
 */
public final class DeviceStores {
  /** Events kept by the in-memory store. */
  public static final int MEMORY_EVENTS = 10_000;

  private DeviceStores() {}

  /** @param pepper the server's pepper; tokens are hashed under {@code derive("device-token")} */
  public static DeviceStore inMemory(DevicePairingConfig config, Pepper pepper, Clock clock) {
    return new TransactionalDeviceStore(new InMemoryDeviceTables(MEMORY_EVENTS), config, pepper,
        millis(clock), new SecureRandom());
  }

  /**
   * A store over {@code tables} supplied by another module (PostgreSQL): every device pairing
   * rule comes from the same service as the in-memory and SQLite stores. Closing the store closes
   * the tables.
   *
   * @param pepper the server's pepper; tokens are hashed under {@code derive("device-token")}
   */
  public static DeviceStore over(DeviceTables tables, DevicePairingConfig config, Pepper pepper,
      Clock clock) {
    return new TransactionalDeviceStore(tables, config, pepper, millis(clock), new SecureRandom());
  }

  /** Times are kept to the millisecond, so every store returns what it was given. */
  private static Clock millis(Clock clock) {
    return Clock.tick(clock, Duration.ofMillis(1));
  }
}
