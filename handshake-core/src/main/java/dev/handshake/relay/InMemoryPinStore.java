package dev.handshake.relay;

import dev.handshake.crypto.Ed25519PublicKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link PinStore} for one process, optionally seeded with a configured registry. */
public final class InMemoryPinStore implements PinStore {
  private final ConcurrentHashMap<String, Ed25519PublicKey> pins;

  public InMemoryPinStore() {
    this(Map.of());
  }

  public InMemoryPinStore(Map<String, Ed25519PublicKey> registry) {
    this.pins = new ConcurrentHashMap<>(registry);
  }

  @Override
  public Ed25519PublicKey pinIfAbsent(String src, Ed25519PublicKey key) {
    Ed25519PublicKey existing = pins.putIfAbsent(src, key);
    return existing == null ? key : existing;
  }
}
