package dev.handshake.session;

class InMemorySessionStoreTest extends SessionStoreContract {
  @Override
  protected SessionStore open() {
    return new InMemorySessionStore();
  }
}
