package dev.handshake.audit;

class InMemoryAuditStoreTest extends AuditStoreContract {
  @Override
  protected AuditStore open() {
    return new InMemoryAuditStore();
  }

  @Override
  protected AuditStore reopen() {
    store.close();
    return new InMemoryAuditStore();
  }
}
