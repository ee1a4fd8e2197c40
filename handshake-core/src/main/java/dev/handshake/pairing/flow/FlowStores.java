package dev.handshake.pairing.flow;

/**
 * Builds the in-memory stores of the device flow and its tokens (tests, a process whose flows
 * and tokens may die with it). The durable ones live in the store modules: SQLite
 * ({@code dev.handshake.store.sqlite.SqliteStores}, the server's default), PostgreSQL, Redis.
 */
public final class FlowStores {
  private FlowStores() {}

  public static DeviceFlowStore inMemoryFlows() {
    return new InMemoryDeviceFlowStore();
  }

  public static AccessTokenStore inMemoryTokens() {
    return new InMemoryAccessTokenStore();
  }
}
