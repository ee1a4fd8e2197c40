package dev.handshake.pairing;

/** The contract on the in-memory tables. */
class InMemoryPairingStoreTest extends PairingStoreContract {
  private InMemoryPairingTables shared;

  @Override
  PairingStore open(PairingConfig config) {
    shared = new InMemoryPairingTables(PairingStores.MEMORY_EVENTS);
    return new PairingService(shared, config, PEPPER, clock, new java.security.SecureRandom());
  }

  @Override
  PairingStore second() {
    return new PairingService(shared, store.config(), PEPPER, clock, new java.security.SecureRandom());
  }
}
