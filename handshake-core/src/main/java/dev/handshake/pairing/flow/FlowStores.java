package dev.handshake.pairing.flow;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Builds the stores of the device flow and its tokens: in memory (tests, a process whose flows
 * and tokens may die with it), or in the embedded SQLite file {@value FlowDatabase#FILE_NAME} of
 * a data folder, which both stores share and several processes can use at once.
 */
public final class FlowStores {
  /** The file name of the SQLite stores in their data folder. */
  public static final String SQLITE_FILE = FlowDatabase.FILE_NAME;

  private FlowStores() {}

  public static DeviceFlowStore inMemoryFlows() {
    return new InMemoryDeviceFlowStore();
  }

  public static AccessTokenStore inMemoryTokens() {
    return new InMemoryAccessTokenStore();
  }

  /**
   * Opens (creating if needed, owner-only) {@code dataDir}/{@value #SQLITE_FILE} for flows.
   *
   * @throws IOException when the folder or file cannot be created or opened
   */
  public static DeviceFlowStore sqliteFlows(Path dataDir) throws IOException {
    return SqliteDeviceFlowStore.open(dataDir);
  }

  /**
   * Opens (creating if needed, owner-only) {@code dataDir}/{@value #SQLITE_FILE} for tokens.
   *
   * @throws IOException when the folder or file cannot be created or opened
   */
  public static AccessTokenStore sqliteTokens(Path dataDir) throws IOException {
    return SqliteAccessTokenStore.open(dataDir);
  }
}
