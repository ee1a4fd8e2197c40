package dev.handshake.pairing.flow;

class InMemoryAccessTokenStoreTest extends AccessTokenStoreContract {
  @Override
  protected AccessTokenStore create() {
    return FlowStores.inMemoryTokens();
  }
}
