package dev.handshake.pairing.flow;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Flow states in a map, for tests and a single process that may forget them. */
final class InMemoryDeviceFlowStore implements DeviceFlowStore {
  private final Map<String, FlowState> flows = new HashMap<>();

  @Override
  public synchronized boolean insert(FlowState flow) {
    return flows.putIfAbsent(flow.deviceCodeHash(), flow) == null;
  }

  @Override
  public synchronized Optional<FlowState> find(String deviceCodeHash) {
    return Optional.ofNullable(flows.get(deviceCodeHash));
  }

  @Override
  public synchronized <T> Optional<T> update(
      String deviceCodeHash, Function<FlowState, Change<T>> change) {
    FlowState current = flows.get(deviceCodeHash);
    if (current == null) {
      return Optional.empty();
    }
    Change<T> c = change.apply(current);
    if (!c.next().deviceCodeHash().equals(deviceCodeHash)) {
      throw new IllegalArgumentException("a change may not move a flow to another device code");
    }
    flows.put(deviceCodeHash, c.next());
    return Optional.of(c.result());
  }

  @Override
  public synchronized int forgetExpiredBefore(Instant cutoff) {
    int before = flows.size();
    flows.values().removeIf(f -> f.expiresAt().isBefore(cutoff));
    return before - flows.size();
  }

  @Override
  public void close() {}
}
