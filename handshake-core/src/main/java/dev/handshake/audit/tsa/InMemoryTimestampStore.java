package dev.handshake.audit.tsa;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A {@link TimestampStore} in memory, for tests and short-lived tools. Thread-safe. */
public final class InMemoryTimestampStore implements TimestampStore {
  private final Map<String, List<TrustedTimestamp>> byEvent = new HashMap<>();

  @Override
  public synchronized boolean add(TrustedTimestamp timestamp) {
    List<TrustedTimestamp> list =
        byEvent.computeIfAbsent(timestamp.eventHash(), k -> new ArrayList<>());
    if (list.stream().anyMatch(t -> t.tokenHash().equals(timestamp.tokenHash()))) {
      return false;
    }
    list.add(timestamp);
    return true;
  }

  @Override
  public synchronized List<TrustedTimestamp> forEvent(String eventHash) {
    return List.copyOf(byEvent.getOrDefault(eventHash, List.of()));
  }

  @Override
  public void close() {}
}
