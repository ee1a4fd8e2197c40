package dev.handshake.pairing;

/** The fingerprint contract in memory. */
class InMemoryPepperFingerprintStoreTest extends PepperFingerprintStoreContract {
  @Override
  protected PepperFingerprintStore open() {
    return InMemoryPepperFingerprintStore.create();
  }
}
