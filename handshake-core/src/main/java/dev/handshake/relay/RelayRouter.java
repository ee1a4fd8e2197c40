package dev.handshake.relay;

import dev.handshake.crypto.Ed25519PublicKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Carries verified keep packets between the relay nodes of one deployment, so that an agent
 * connected to node A reaches an agent connected to node B (keep.md §2.6, across nodes). It is the
 * shared directory of who holds which identity on which node, and the bus that takes a packet to
 * that node.
 *
 * <p>Each {@link RelayEngine} uses one router, {@linkplain #attach attached} to the engine's {@link
 * Node} when the engine is built. The engine {@linkplain #claim claims} a name the first time one
 * of its connections registers it, {@linkplain #release releases} it when the last local holder
 * goes, and {@linkplain #send sends} a packet through the router only when its destination is not
 * held by a local connection: a single node never touches the router on its local path.
 *
 * <p><b>Trust.</b> Packets are verified (signature, replay) on the node they entered; a router only
 * ever carries packets that an engine handed to {@link #send}, and delivers them to the {@link
 * Node} the engine attached, which no one else can reach. The egress engine therefore hands them on
 * without verifying again.
 *
 * <p><b>Expiry.</b> A claim is a lease: it lasts until released, or until its node has not
 * {@linkplain #renew renewed} it for the router's lease time, so the identities of a node that died
 * vanish from the directory by themselves. Renewal also re-claims what the node still holds but the
 * directory lost (a restarted, empty Redis), and tells the node about names another node took
 * meanwhile ({@link Node#lost}).
 *
 * <p><b>Failures.</b> {@link #send} and {@link #claim} never throw for an unreachable directory and
 * never wait longer than the implementation's bounded timeout: they answer {@link
 * Route#UNAVAILABLE} / {@link Claim#UNAVAILABLE}, which the engine turns into the keep reply {@code
 * error:delivery_failed}. Implementations: {@link InMemoryRelayBus} (nodes in one process) and
 * {@code RedisRelayRouter} (handshake-store-redis).
 *
 * <p><b>Discovery.</b> {@link #agents} lists the directory for {@code discover:info} and {@code
 * discover:agents}, so that they describe the deployment rather than one node; a router that
 * cannot list its directory keeps the default, and the engine answers from its own connections.
 */
public interface RelayRouter extends AutoCloseable {

  /** What {@link #send} did with a packet. */
  enum Route {
    /** Handed to the node holding the identity (at most once: no acknowledgement follows). */
    SENT,
    /** No live node holds the identity: the keep reply is {@code error:offline}. */
    OFFLINE,
    /** The directory or bus could not be reached in time: {@code error:delivery_failed}. */
    UNAVAILABLE
  }

  /** What {@link #claim} found. */
  enum Claim {
    /** This node now holds the identity in the directory. */
    HELD,
    /** A live node holds it under another key, and no take-over was asked for. */
    CONFLICT,
    /** The directory could not be reached in time; nothing was claimed. */
    UNAVAILABLE
  }

  /**
   * The engine's side of a router: where packets for this node's identities arrive and what the
   * router asks the engine about. Methods are called on the router's threads and must not block.
   */
  interface Node {
    /**
     * A verified packet for {@code identity}, sent by another node (or this one) through the bus.
     */
    void deliver(String identity, byte[] packetBytes);

    /** Another node took {@code identity} over: drop the local holder. */
    void lost(String identity);

    /** The identities this node holds now and their keys, for {@link #renew}. */
    Map<String, Ed25519PublicKey> held();
  }

  /**
   * What {@link #agents} found in the directory.
   *
   * @param online how many identities live nodes of the deployment hold, all together
   * @param names some of them: at most the limit asked for, in no particular order
   */
  record Agents(long online, List<String> names) {
    public Agents {
      if (online < 0) {
        throw new IllegalArgumentException("online must not be negative: " + online);
      }
      names = List.copyOf(names);
    }
  }

  /** This node's name in the directory (unique within the deployment). */
  String nodeId();

  /**
   * Connects the router to its engine; called once, by the engine, before any other method.
   *
   * @throws IllegalStateException if a node is already attached
   */
  void attach(Node node);

  /**
   * Makes this node the holder of {@code identity} under {@code key}, unless another node holds it
   * under another key and {@code takeOver} is false (keep.md §3 item 1: {@code bound-live}). The
   * same key claimed from another node moves the identity here, and that node is told it {@link
   * Node#lost lost} it (an agent reconnecting elsewhere). {@code takeOver} is the {@code legacy}
   * identity mode: last claim wins whatever the key.
   */
  Claim claim(String identity, Ed25519PublicKey key, boolean takeOver);

  /** Removes this node's claim on {@code identity}; a claim of another node is left alone. */
  void release(String identity);

  /**
   * Sends a verified packet to whichever node holds {@code identity}. Waits at most the
   * implementation's route timeout.
   *
   * @throws IllegalArgumentException if the packet is empty or over {@link
   *     KeepPackets#MAX_PACKET_SIZE}
   */
  Route send(String identity, byte[] packetBytes);

  /**
   * The node holding {@code identity}, if a live one does (for operators and tests).
   *
   * @throws java.io.UncheckedIOException if the directory cannot be reached
   */
  Optional<String> locate(String identity);

  /**
   * The identities held on every live node, for discovery (keep.md §2.7 across nodes): how many,
   * and at most {@code limit} of their names (which ones, when there are more, is unspecified).
   * Waits at most the implementation's route timeout.
   *
   * <p>Empty when the router cannot answer for the whole deployment: by default (a router without
   * a directory it can list), or when the directory cannot be reached in time. The engine then
   * answers from its own connections, as a single node does.
   *
   * @throws IllegalArgumentException if {@code limit} is negative
   */
  default Optional<Agents> agents(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
    return Optional.empty();
  }

  /**
   * Renews the leases of every identity {@link Node#held} names, re-claims those the directory
   * lost, and reports those another node holds now to {@link Node#lost}. Implementations may also
   * run this on their own timer.
   */
  void renew();

  /** Releases this node's identities and leaves the bus; other nodes see them offline. */
  @Override
  void close();
}
