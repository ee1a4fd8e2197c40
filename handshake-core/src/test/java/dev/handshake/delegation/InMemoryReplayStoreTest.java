package dev.handshake.delegation;

class InMemoryReplayStoreTest extends ReplayStoreContract {
  @Override
  protected ReplayStore open(int maxEntries) {
    return new InMemoryReplayStore(maxEntries);
  }
}
