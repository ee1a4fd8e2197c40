package dev.handshake.audit.tsa;

class InMemoryTimestampStoreTest extends TimestampStoreContract {
  @Override
  protected TimestampStore open() {
    return new InMemoryTimestampStore();
  }

  @Override
  protected TimestampStore reopen() {
    return store;
  }
}
