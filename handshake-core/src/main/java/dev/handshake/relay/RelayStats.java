package dev.handshake.relay;

import java.util.concurrent.atomic.LongAdder;

/**
 * A snapshot of relay counters for operators and benchmarks.
 *
 * @param connections open connections
 * @param agentsOnline registered names
 * @param totalPackets verified packets (replays excluded), as in {@code discover:stats}
 * @param replayEntries entries in the replay cache
 * @param forwarded packets handed on to their destination, on this node or through the router
 * @param routedOut of those, packets sent to another node through the {@link RelayRouter}
 * @param routedIn packets from other nodes handed to a connection here
 * @param clusterUnavailable packets refused because the router's directory or the shared replay
 *     memory could not be reached ({@code error:delivery_failed}, or not registered)
 */
public record RelayStats(
    int connections,
    int agentsOnline,
    long totalPackets,
    int replayEntries,
    long forwarded,
    long offline,
    long deliveryFailed,
    long droppedUnsigned,
    long droppedInvalid,
    long rateLimited,
    long replays,
    long refusedConnections,
    long routedOut,
    long routedIn,
    long clusterUnavailable) {

  static final class Counters {
    final LongAdder forwarded = new LongAdder();
    final LongAdder offline = new LongAdder();
    final LongAdder deliveryFailed = new LongAdder();
    final LongAdder droppedUnsigned = new LongAdder();
    final LongAdder droppedInvalid = new LongAdder();
    final LongAdder rateLimited = new LongAdder();
    final LongAdder replays = new LongAdder();
    final LongAdder refusedConnections = new LongAdder();
    final LongAdder routedOut = new LongAdder();
    final LongAdder routedIn = new LongAdder();
    final LongAdder clusterUnavailable = new LongAdder();

    RelayStats snapshot(int connections, int agents, long total, int replayEntries) {
      return new RelayStats(
          connections,
          agents,
          total,
          replayEntries,
          forwarded.sum(),
          offline.sum(),
          deliveryFailed.sum(),
          droppedUnsigned.sum(),
          droppedInvalid.sum(),
          rateLimited.sum(),
          replays.sum(),
          refusedConnections.sum(),
          routedOut.sum(),
          routedIn.sum(),
          clusterUnavailable.sum());
    }
  }
}
