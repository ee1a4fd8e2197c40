package dev.handshake.relay;

import dev.handshake.crypto.Ed25519PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * {@link RelayRouter}s for relay nodes that run in one process: a shared directory in a map and
 * direct hand-over instead of a network bus. For tests, benchmarks and embedding several engines in
 * one JVM; a single node needs no router at all ({@link RelayCluster#standalone()}).
 *
 * <pre>{@code
 * InMemoryRelayBus bus = InMemoryRelayBus.create();
 * RelayEngine a = new RelayEngine(config, clock, null, pins, RelayCluster.routing(bus.join("a")));
 * RelayEngine b = new RelayEngine(config, clock, null, pins, RelayCluster.routing(bus.join("b")));
 * }</pre>
 *
 * <p>{@link RelayRouter#agents} lists every node's live claims, so discovery on any of these
 * engines describes them all.
 *
 * <p>Packets are delivered synchronously on the sender's thread ({@link RelayRouter.Node#deliver}
 * only enqueues on the receiving connection). Leases are measured with the injected clock; with a
 * zero lease time they never lapse, since nodes of one process cannot die one at a time.
 */
public final class InMemoryRelayBus {
  private record Lease(String node, Ed25519PublicKey key, long expiresAtMillis) {}

  private final Clock clock;
  private final long leaseMillis;
  private final ConcurrentHashMap<String, Lease> directory = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Member> members = new ConcurrentHashMap<>();

  private InMemoryRelayBus(Clock clock, Duration leaseTime) {
    if (leaseTime.isNegative()) {
      throw new IllegalArgumentException("leaseTime must not be negative: " + leaseTime);
    }
    this.clock = clock;
    this.leaseMillis = leaseTime.toMillis();
  }

  /** A bus whose claims last until released. */
  public static InMemoryRelayBus create() {
    return new InMemoryRelayBus(Clock.systemUTC(), Duration.ZERO);
  }

  /** A bus whose claims lapse {@code leaseTime} after their last renewal, by {@code clock}. */
  public static InMemoryRelayBus create(Clock clock, Duration leaseTime) {
    return new InMemoryRelayBus(clock, leaseTime);
  }

  /**
   * A router for a new node named {@code nodeId}.
   *
   * @throws IllegalArgumentException if a node of that name is on the bus
   */
  public RelayRouter join(String nodeId) {
    Member member = new Member(nodeId);
    if (members.putIfAbsent(nodeId, member) != null) {
      throw new IllegalArgumentException("node " + nodeId + " is already on the bus");
    }
    return member;
  }

  private boolean live(@Nullable Lease lease, long now) {
    return lease != null && lease.expiresAtMillis() > now;
  }

  private long expiry(long now) {
    return leaseMillis == 0 ? Long.MAX_VALUE : now + leaseMillis;
  }

  private void tellLost(String nodeId, String identity) {
    Member previous = members.get(nodeId);
    RelayRouter.Node node = previous == null ? null : previous.node.get();
    if (node != null) {
      node.lost(identity);
    }
  }

  private final class Member implements RelayRouter {
    private final String id;
    private final AtomicReference<@Nullable Node> node = new AtomicReference<>();
    private volatile boolean closed;

    Member(String id) {
      this.id = id;
    }

    @Override
    public String nodeId() {
      return id;
    }

    @Override
    public void attach(Node n) {
      if (!node.compareAndSet(null, n)) {
        throw new IllegalStateException("node " + id + " already has an engine attached");
      }
    }

    @Override
    public Claim claim(String identity, Ed25519PublicKey key, boolean takeOver) {
      if (closed) {
        return Claim.UNAVAILABLE;
      }
      Claim[] result = {Claim.HELD};
      String[] previous = {null};
      directory.compute(
          identity,
          (name, current) -> {
            long now = clock.millis();
            if (!live(current, now) || current.key().equals(key) || takeOver) {
              if (live(current, now) && !current.node().equals(id)) {
                previous[0] = current.node();
              }
              return new Lease(id, key, expiry(now));
            }
            result[0] = Claim.CONFLICT;
            return current;
          });
      if (previous[0] != null) {
        tellLost(previous[0], identity);
      }
      return result[0];
    }

    @Override
    public void release(String identity) {
      directory.computeIfPresent(
          identity, (name, current) -> current.node().equals(id) ? null : current);
    }

    @Override
    public Route send(String identity, byte[] packetBytes) {
      checkPacket(packetBytes);
      if (closed) {
        return Route.UNAVAILABLE;
      }
      Lease lease = directory.get(identity);
      if (!live(lease, clock.millis())) {
        return Route.OFFLINE;
      }
      Member holder = members.get(lease.node());
      Node target = holder == null ? null : holder.node.get();
      if (target == null) {
        return Route.OFFLINE;
      }
      target.deliver(identity, packetBytes);
      return Route.SENT;
    }

    @Override
    public Optional<String> locate(String identity) {
      Lease lease = directory.get(identity);
      return live(lease, clock.millis()) ? Optional.of(lease.node()) : Optional.empty();
    }

    @Override
    public Optional<Agents> agents(int limit) {
      if (limit < 0) {
        throw new IllegalArgumentException("limit must not be negative: " + limit);
      }
      if (closed) {
        return Optional.empty();
      }
      long now = clock.millis();
      long online = 0;
      List<String> names = new ArrayList<>();
      for (Map.Entry<String, Lease> e : directory.entrySet()) {
        if (live(e.getValue(), now)) {
          online++;
          if (names.size() < limit) {
            names.add(e.getKey());
          }
        }
      }
      return Optional.of(new Agents(online, names));
    }

    @Override
    public void renew() {
      Node n = node.get();
      if (n == null || closed) {
        return;
      }
      List<String> lost = new ArrayList<>();
      for (Map.Entry<String, Ed25519PublicKey> held : n.held().entrySet()) {
        directory.compute(
            held.getKey(),
            (name, current) -> {
              long now = clock.millis();
              if (!live(current, now) || current.node().equals(id)) {
                return new Lease(id, held.getValue(), expiry(now));
              }
              lost.add(name);
              return current;
            });
      }
      lost.forEach(n::lost);
    }

    @Override
    public void close() {
      closed = true;
      directory.values().removeIf(lease -> lease.node().equals(id));
      members.remove(id, this);
    }

    @Override
    public String toString() {
      return "InMemoryRelayBus node " + id;
    }
  }

  static void checkPacket(byte[] packetBytes) {
    if (packetBytes.length == 0 || packetBytes.length > KeepPackets.MAX_PACKET_SIZE) {
      throw new IllegalArgumentException(
          "a relay packet has 1.."
              + KeepPackets.MAX_PACKET_SIZE
              + " bytes, got "
              + packetBytes.length);
    }
  }
}
