package dev.handshake.pairing.device;

import dev.handshake.pairing.Pepper;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

/**
 * Builds a {@link DeviceStore}: in memory (tests, a single process that may forget), or over the
 * embedded SQLite file {@value SqliteDeviceTables#FILE_NAME} in a data folder (the server's
 * default, shared with the CLI). Both hold the same rules; only where rows live differs.
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
   * Opens (creating if needed) {@code dataDir}/{@value SqliteDeviceTables#FILE_NAME}, owner-only.
   *
   * @throws IOException when the folder or file cannot be created or opened
   */
  public static DeviceStore sqlite(Path dataDir, DevicePairingConfig config, Pepper pepper,
      Clock clock) throws IOException {
    return new TransactionalDeviceStore(SqliteDeviceTables.open(dataDir), config, pepper,
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

  /** The file name of the SQLite store in its data folder. */
  public static String sqliteFileName() {
    return SqliteDeviceTables.FILE_NAME;
  }

  /** Times are kept to the millisecond, so every store returns what it was given. */
  private static Clock millis(Clock clock) {
    return Clock.tick(clock, Duration.ofMillis(1));
  }
}
