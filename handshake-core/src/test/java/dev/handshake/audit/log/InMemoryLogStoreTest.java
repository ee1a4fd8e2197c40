package dev.handshake.audit.log;

class InMemoryLogStoreTest extends LogStoreContract {
  @Override
  protected LogStore create(LogConfig config) {
    return new InMemoryLogStore(config);
  }
}
