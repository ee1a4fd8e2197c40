package dev.handshake.pairing.flow;

class InMemoryDeviceFlowStoreTest extends DeviceFlowStoreContract {
  @Override
  protected DeviceFlowStore create() {
    return FlowStores.inMemoryFlows();
  }
}
