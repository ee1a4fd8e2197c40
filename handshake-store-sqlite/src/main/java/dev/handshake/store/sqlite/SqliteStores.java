package dev.handshake.store.sqlite;

import dev.handshake.pairing.PairingConfig;
import dev.handshake.pairing.PairingStore;
import dev.handshake.pairing.PairingStores;
import dev.handshake.pairing.Pepper;
import dev.handshake.pairing.device.DevicePairingConfig;
import dev.handshake.pairing.device.DeviceStore;
import dev.handshake.pairing.device.DeviceStores;
import dev.handshake.pairing.flow.AccessTokenStore;
import dev.handshake.pairing.flow.DeviceFlowStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The pairing stores over embedded SQLite files in a data folder: the server's default, shared
 * with the CLI and with other processes on the same folder. The audit, transparency-log,
 * timestamp and replay stores open directly ({@link SqliteAuditStore#open}, {@link
 * SqliteLogStore#open}, {@link SqliteTimestampStore#open}, {@link SqliteReplayStore#open}).
 * Every file is created owner-only.
 */
public final class SqliteStores {
  /** Channel pairing requests, grants and events. */
  public static final String PAIRING_FILE = SqlitePairingTables.FILE_NAME;

  /** Device pairing: requests, paired devices, device tokens, bootstrap codes, events. */
  public static final String DEVICES_FILE = SqliteDeviceTables.FILE_NAME;

  /** Device flows (RFC 8628) and their access tokens share this file. */
  public static final String FLOWS_FILE = FlowDatabase.FILE_NAME;

  private SqliteStores() {}

  /**
   * Opens (creating if needed) {@code dataDir}/{@value #PAIRING_FILE}.
   *
   * @throws IOException when the folder or file cannot be created or opened
   */
  public static PairingStore pairing(
      Path dataDir, PairingConfig config, Pepper pepper, Clock clock) throws IOException {
    return PairingStores.over(SqlitePairingTables.open(dataDir), config, pepper, clock);
  }

  /**
   * Opens (creating if needed) {@code dataDir}/{@value #DEVICES_FILE}.
   *
   * @param pepper the server's pepper; tokens are hashed under {@code derive("device-token")}
   * @throws IOException when the folder or file cannot be created or opened
   */
  public static DeviceStore devices(
      Path dataDir, DevicePairingConfig config, Pepper pepper, Clock clock) throws IOException {
    return DeviceStores.over(SqliteDeviceTables.open(dataDir), config, pepper, clock);
  }

  /**
   * Opens (creating if needed) {@code dataDir}/{@value #FLOWS_FILE} for device flows.
   *
   * @throws IOException when the folder or file cannot be created or opened
   */
  public static DeviceFlowStore flows(Path dataDir) throws IOException {
    return SqliteDeviceFlowStore.open(dataDir);
  }

  /**
   * Opens (creating if needed) {@code dataDir}/{@value #FLOWS_FILE} for access tokens.
   *
   * @throws IOException when the folder or file cannot be created or opened
   */
  public static AccessTokenStore tokens(Path dataDir) throws IOException {
    return SqliteAccessTokenStore.open(dataDir);
  }
}
