package dev.handshake.session;

import java.util.List;

/** The in-process bus is a deployment of one node: both "nodes" are the same instance. */
class InMemorySessionEventBusTest extends SessionEventBusContract {
  @Override
  protected List<SessionEventBus> openTwoNodes() {
    InMemorySessionEventBus bus = new InMemorySessionEventBus();
    return List.of(bus, bus);
  }
}
