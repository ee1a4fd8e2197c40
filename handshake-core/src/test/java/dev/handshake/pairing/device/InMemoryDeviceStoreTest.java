package dev.handshake.pairing.device;

/** The {@link DeviceStore} contract over memory. */
class InMemoryDeviceStoreTest extends DeviceStoreContract {
  @Override
  protected DeviceStore create(DevicePairingConfig config) {
    return DeviceStores.inMemory(config, pepper, clock);
  }
}
