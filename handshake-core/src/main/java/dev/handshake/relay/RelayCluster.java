package dev.handshake.relay;

import dev.handshake.delegation.ReplayStore;
import java.util.Optional;

/**
 * How one relay node shares state with the other nodes of a deployment: a {@link RelayRouter} that
 * takes packets to identities held on other nodes, and a shared replay memory so that a packet
 * accepted on one node is a replay on all (keep.md §3 item 2 across nodes).
 *
 * <p>The shared replay memory is the delegation {@link ReplayStore} SPI: the pair recorded for a
 * packet is {@code ("keep", base64url(SHA-256(pk ‖ canonical fields 3–10)))}, kept for the replay
 * window. It is consulted after the node's own replay cache (which still catches local duplicates
 * without a round trip) and only when the packet could change something: a forward, or a name this
 * connection does not already hold under this key. If it cannot be reached the packet is treated as
 * possibly replayed (fail closed): it registers nothing and a forward is answered {@code
 * error:delivery_failed}. At its bound ({@link ReplayStore.Outcome#FULL}) the local cache's verdict
 * stands, as the local cache itself evicts rather than refuses.
 *
 * @param router routing to other nodes; empty for a single node (today's behaviour)
 * @param replay replay memory shared by the nodes; empty to rely on each node's own cache
 */
public record RelayCluster(Optional<RelayRouter> router, Optional<ReplayStore> replay) {

  /** One node on its own: no router, no shared replay memory. */
  public static RelayCluster standalone() {
    return new RelayCluster(Optional.empty(), Optional.empty());
  }

  /** Routing to other nodes, each node keeping its own replay cache. */
  public static RelayCluster routing(RelayRouter router) {
    return new RelayCluster(Optional.of(router), Optional.empty());
  }

  /** Routing to other nodes and one replay memory shared by all of them. */
  public static RelayCluster shared(RelayRouter router, ReplayStore replay) {
    return new RelayCluster(Optional.of(router), Optional.of(replay));
  }
}
