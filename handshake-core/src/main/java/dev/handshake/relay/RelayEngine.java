package dev.handshake.relay;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.delegation.ReplayStore;
import dev.handshake.relay.IdentityTable.Registration;
import dev.handshake.relay.proto.Packet;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keep-protocol relay without a transport (keep.md §2.4–§2.8 and the fixes of §3). A
 * transport {@linkplain #open opens} a {@link RelayConnection} per accepted socket, feeds it frame
 * payloads, calls {@link #heartbeat()} on its ticker and {@link RelayConnection#closed()} when a
 * socket goes away. The engine never blocks and never does I/O while holding shared state: it
 * only enqueues on {@link RelayPeer}s.
 *
 * <pre>{@code
 * RelayEngine engine = new RelayEngine(RelayConfig.defaults(), Clock.systemUTC());
 * RelayConnection c = engine.open(peer).orElseThrow();   // empty: over a connection limit
 * FrameOutcome outcome = c.receive(payload);              // CLOSE: close the socket
 * }</pre>
 *
 * <p><b>Several nodes.</b> Built with a {@link RelayCluster}, the engine claims its connections'
 * names in the cluster's {@link RelayRouter} and sends a verified packet through it when the
 * destination is not held here; packets other nodes send to this node's identities arrive through
 * a {@link RelayRouter.Node} only the router holds, and go to the local connection without being
 * verified again (the ingress node did that). A forward to a local destination never touches the
 * router. See docs/RELAY.md "Several nodes".
 */
public final class RelayEngine {
  private static final Logger log = LoggerFactory.getLogger(RelayEngine.class);
  /** The signer under which packets are recorded in a shared replay store (pk is in the nonce). */
  static final String SHARED_REPLAY_SIGNER = "keep";

  private final RelayConfig config;
  private final Clock clock;
  private final long startMillis;
  private final @Nullable Ed25519PrivateKey serverKey;
  private final IdentityTable identities;
  private final @Nullable ReplayCache replay;
  private final @Nullable RelayRouter router;
  private final @Nullable ReplayStore sharedReplay;
  private final Discovery discovery;
  private final ConcurrentHashMap<String, AddressState> addresses = new ConcurrentHashMap<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicLong totalPackets = new AtomicLong();
  private final ScarCounter scars = new ScarCounter(RelayConfig.MAX_SCAR_ENTRIES);
  private final RelayStats.Counters counters = new RelayStats.Counters();
  private final DropLog dropLog;
  private final byte[] heartbeatBytes;
  private volatile RelayObserver observer = RelayObserver.NONE;

  public RelayEngine(RelayConfig config, Clock clock) {
    this(config, clock, null, new InMemoryPinStore());
  }

  /**
   * @param serverKey signs replies and heartbeats when {@link RelayConfig#signReplies()} is on
   * @param pins bindings for {@link IdentityMode#PINNED}
   */
  public RelayEngine(
      RelayConfig config, Clock clock, @Nullable Ed25519PrivateKey serverKey, PinStore pins) {
    this(config, clock, serverKey, pins, RelayCluster.standalone());
  }

  /**
   * An engine that is one node of several: {@code cluster}'s router is attached to this engine
   * (a router serves one engine) and its replay store, if any, is shared with the other nodes.
   * The caller keeps owning both and closes them after the engine's transport.
   */
  public RelayEngine(
      RelayConfig config,
      Clock clock,
      @Nullable Ed25519PrivateKey serverKey,
      PinStore pins,
      RelayCluster cluster) {
    if (config.signReplies() && serverKey == null) {
      throw new IllegalArgumentException("keep.server.signReplies needs a server identity key");
    }
    this.config = config;
    this.clock = clock;
    this.startMillis = clock.millis();
    this.serverKey = serverKey;
    this.router = cluster.router().orElse(null);
    this.identities =
        new IdentityTable(config.identityMode(), pins, config.maxNamesPerConnection(), router);
    this.replay =
        config.replayWindow().isZero()
            ? null
            : new ReplayCache(config.replayWindow().toMillis(), config.replayCapacity());
    // with the replay window off (reference profile) there is nothing to share either
    this.sharedReplay = replay == null ? null : cluster.replay().orElse(null);
    this.discovery = new Discovery(this);
    this.dropLog = new DropLog(clock);
    this.heartbeatBytes = serverPacket(KeepPackets.heartbeat());
    if (router != null) {
      // last: every field above is written before the router's threads can reach this engine
      router.attach(new RoutedNode());
    }
  }

  /** Installs the one observer told about each forwarded packet (e.g. an audit tap). */
  public void observe(RelayObserver observer) {
    this.observer = observer;
  }

  public RelayConfig config() {
    return config;
  }

  /** The key that signs replies, when one was given. */
  public Optional<Ed25519PublicKey> serverPublicKey() {
    return Optional.ofNullable(serverKey).map(Ed25519PrivateKey::publicKey);
  }

  /**
   * Admits a new connection, or returns empty when the total or per-address connection limit is
   * reached (the transport then closes the socket at once).
   */
  public Optional<RelayConnection> open(RelayPeer peer) {
    if (connections.incrementAndGet() > config.maxConnections()) {
      connections.decrementAndGet();
      counters.refusedConnections.increment();
      dropLog.warn("Connection limit reached; closing {}", peer.remoteAddress());
      return Optional.empty();
    }
    String host = peer.remoteHost();
    boolean[] admitted = new boolean[1];
    AddressState address =
        addresses.compute(
            host,
            (h, state) -> {
              AddressState s =
                  state != null
                      ? state
                      : new AddressState(
                          new TokenBucket(config.addressFramesPerSecond(), System.nanoTime()));
              if (s.connections < config.maxConnectionsPerAddress()) {
                s.connections++;
                admitted[0] = true;
              }
              return s;
            });
    if (!admitted[0]) {
      connections.decrementAndGet();
      counters.refusedConnections.increment();
      dropLog.warn("Per-address connection limit reached; closing {}", peer.remoteAddress());
      return Optional.empty();
    }
    return Optional.of(
        new RelayConnection(
            this, peer, new TokenBucket(config.connectionFramesPerSecond(), System.nanoTime()),
            address));
  }

  boolean admitFrame(RelayConnection connection) {
    long now = System.nanoTime();
    if (connection.bucket().tryTake(now) && connection.address().bucket.tryTake(now)) {
      return true;
    }
    counters.rateLimited.increment();
    dropLog.warn("DROPPED over frame rate from {}", connection.peer().remoteAddress());
    return false;
  }

  FrameOutcome dispatch(RelayConnection from, InboundPacket inbound, SignatureCheck check) {
    Packet packet = inbound.packet();
    String addr = from.peer().remoteAddress();
    switch (check) {
      case UNSIGNED -> {
        counters.droppedUnsigned.increment();
        dropLog.info(
            "DROPPED unsigned packet from {} (src={} {} body bytes)",
            addr, LogText.name(packet.getSrc()), packet.getBody().length());
        return FrameOutcome.DROPPED_UNSIGNED;
      }
      case MALFORMED_PK, MALFORMED_SIG, INVALID -> {
        counters.droppedInvalid.increment();
        if (check == SignatureCheck.MALFORMED_PK) {
          dropLog.info("Malformed pk: expected 32 bytes, got {}", packet.getPk().size());
        } else if (check == SignatureCheck.MALFORMED_SIG) {
          dropLog.info("Malformed sig: expected 64 bytes, got {}", packet.getSig().size());
        }
        dropLog.info("DROPPED invalid sig from {} (src={})", addr, LogText.name(packet.getSrc()));
        return FrameOutcome.DROPPED_INVALID_SIGNATURE;
      }
      case VALID -> {
        return dispatchVerified(from, inbound);
      }
    }
    throw new AssertionError(check);
  }

  private FrameOutcome dispatchVerified(RelayConnection from, InboundPacket inbound) {
    Packet packet = inbound.packet();
    Ed25519PublicKey key = inbound.key().orElseThrow();
    String src = packet.getSrc();
    String dst = packet.getDst();
    Freshness freshness = freshness(from, inbound, key, src, dst);
    boolean replayed = freshness == Freshness.REPLAY;
    // a packet whose freshness could not be established is handled as a replay, except for the
    // reply a forward gets (below)
    boolean untrusted = freshness != Freshness.FIRST;
    Registration registration = new Registration.Registered(null);
    if (untrusted) {
      if (replayed) {
        counters.replays.increment();
      }
    } else {
      if (!src.isEmpty()) {
        registration = identities.register(src, from, key);
        if (registration instanceof Registration.Registered r && r.evicted() != null) {
          log.info("Identity \"{}\" re-registered, closing old connection", LogText.name(src));
          r.evicted().peer().close();
        } else if (registration instanceof Registration.Conflict) {
          dropLog.info("Identity \"{}\" claimed by a different key; refused", LogText.name(src));
        } else if (registration instanceof Registration.Unavailable) {
          counters.clusterUnavailable.increment();
          dropLog.warn("Identity \"{}\" not registered: relay directory unavailable", LogText.name(src));
        }
      }
      totalPackets.incrementAndGet();
      from.countPacket();
      if (!packet.getScar().isEmpty()) {
        scars.count(src);
        if (log.isDebugEnabled()) {
          log.debug("SCAR {} -> {} ({} bytes)", LogText.name(src), LogText.name(dst), packet.getScar().size());
        }
      }
    }
    if (log.isDebugEnabled()) {
      log.debug(
          "From {} (typ {}): {} -> {}",
          LogText.name(src), Integer.toUnsignedString(packet.getTyp()), bodyForLog(packet), LogText.name(dst));
    }
    if (dst.startsWith(KeepPackets.DISCOVER_PREFIX)) {
      String suffix = dst.substring(KeepPackets.DISCOVER_PREFIX.length());
      String body = discovery.answer(suffix, from);
      if (log.isDebugEnabled()) {
        log.debug("Discover {} -> {}: {} bytes", LogText.name(src), LogText.name(suffix), body.length());
      }
      return reply(from, packet.getId(), body);
    }
    if (KeepPackets.isServerDestination(dst)) {
      return reply(from, packet.getId(), KeepPackets.DONE);
    }
    if (replayed) {
      return FrameOutcome.DROPPED_REPLAY;
    }
    if (untrusted) {
      return reply(from, packet.getId(), KeepPackets.ERROR_DELIVERY_FAILED);
    }
    return switch (registration) {
      case Registration.Conflict c -> reply(from, packet.getId(), KeepPackets.ERROR_IDENTITY_CONFLICT);
      case Registration.TooMany t -> reply(from, packet.getId(), KeepPackets.ERROR_TOO_MANY_IDENTITIES);
      case Registration.Unavailable u -> reply(from, packet.getId(), KeepPackets.ERROR_DELIVERY_FAILED);
      case Registration.Registered r -> forward(from, packet, src, dst);
    };
  }

  /** Whether a verified packet is new (keep.md §3 item 2), on this node and, if shared, on all. */
  private enum Freshness {
    FIRST,
    REPLAY,
    /** The shared replay memory could not be reached: not known to be new. */
    UNKNOWN
  }

  private Freshness freshness(
      RelayConnection from, InboundPacket inbound, Ed25519PublicKey key, String src, String dst) {
    if (replay == null) {
      return Freshness.FIRST;
    }
    ReplayCache.Key digest = ReplayCache.digest(key.raw(), inbound.signPayload());
    long now = clock.millis();
    if (!replay.firstSeen(digest, now)) {
      return Freshness.REPLAY;
    }
    if (sharedReplay == null || !mayChangeState(from, key, src, dst)) {
      return Freshness.FIRST;
    }
    try {
      ReplayStore.Outcome outcome =
          sharedReplay.checkAndRecord(
              SHARED_REPLAY_SIGNER,
              digest.text(),
              Instant.ofEpochMilli(now + config.replayWindow().toMillis()),
              Instant.ofEpochMilli(now));
      return switch (outcome) {
        case FIRST -> Freshness.FIRST;
        case REPLAY -> Freshness.REPLAY;
        case FULL -> {
          // the local cache evicts rather than refuses; its verdict stands
          dropLog.warn("Shared replay memory full; packet from {} checked on this node only", from.peer().remoteAddress());
          yield Freshness.FIRST;
        }
      };
    } catch (UncheckedIOException e) {
      counters.clusterUnavailable.increment();
      dropLog.warn("Shared replay memory unavailable ({}); packet from {} not trusted", e.getMessage(), from.peer().remoteAddress());
      return Freshness.UNKNOWN;
    }
  }

  /**
   * Whether a replay of this packet could do anything but be counted: a forward, or a name this
   * connection does not already hold under this key. Repeated pings of a registered agent
   * therefore never wait for the shared replay memory.
   */
  private boolean mayChangeState(RelayConnection from, Ed25519PublicKey key, String src, String dst) {
    if (!KeepPackets.expectsReply(dst)) {
      return true;
    }
    if (src.isEmpty()) {
      return false;
    }
    IdentityTable.Holder holder = identities.lookup(src);
    return holder == null || holder.connection() != from || !holder.key().equals(key);
  }

  private FrameOutcome forward(RelayConnection from, Packet packet, String src, String dst) {
    IdentityTable.Holder target = identities.lookup(dst);
    if (target == null) {
      return router == null ? offline(from, packet, src, dst) : forwardRemote(router, from, packet, src, dst);
    }
    Packet out = config.preserveUnknownFields() ? packet : KeepPackets.withoutUnknownFields(packet);
    RelayConnection receiver = target.connection();
    if (!receiver.peer().send(out.toByteArray())) {
      counters.deliveryFailed.increment();
      log.info("Route {} -> {}: delivery failed", LogText.name(src), LogText.name(dst));
      if (config.closeFailedTargets()) {
        unregisterAll(receiver);
        receiver.peer().close();
      }
      return reply(from, packet.getId(), KeepPackets.ERROR_DELIVERY_FAILED);
    }
    counters.forwarded.increment();
    observer.forwarded(src, dst, out);
    return FrameOutcome.FORWARDED;
  }

  private FrameOutcome offline(RelayConnection from, Packet packet, String src, String dst) {
    counters.offline.increment();
    if (log.isDebugEnabled()) {
      log.debug("Route {} -> {}: offline", LogText.name(src), LogText.name(dst));
    }
    return reply(from, packet.getId(), KeepPackets.ERROR_OFFLINE);
  }

  /** A destination no local connection holds: to whichever node does, through the router. */
  private FrameOutcome forwardRemote(
      RelayRouter router, RelayConnection from, Packet packet, String src, String dst) {
    Packet out = config.preserveUnknownFields() ? packet : KeepPackets.withoutUnknownFields(packet);
    return switch (router.send(dst, out.toByteArray())) {
      case SENT -> {
        counters.forwarded.increment();
        counters.routedOut.increment();
        observer.forwarded(src, dst, out);
        yield FrameOutcome.FORWARDED;
      }
      case OFFLINE -> offline(from, packet, src, dst);
      case UNAVAILABLE -> {
        counters.clusterUnavailable.increment();
        dropLog.warn("Route {} -> {}: relay directory unavailable", LogText.name(src), LogText.name(dst));
        yield reply(from, packet.getId(), KeepPackets.ERROR_DELIVERY_FAILED);
      }
    };
  }

  /**
   * A packet another node verified and sent here through the router: handed to the local holder
   * of {@code identity} as it is. A failed hand-over cannot be answered (the sender got no
   * acknowledgement for its forward and is on another node); it is counted and logged.
   */
  private void deliverRouted(String identity, byte[] packetBytes) {
    if (packetBytes.length == 0 || packetBytes.length > KeepPackets.MAX_PACKET_SIZE) {
      counters.deliveryFailed.increment();
      dropLog.warn("Routed packet for {} of {} bytes ignored", LogText.name(identity), packetBytes.length);
      return;
    }
    IdentityTable.Holder target = identities.lookup(identity);
    if (target == null || target.connection().isClosed()) {
      counters.offline.increment();
      log.debug("Routed packet for {}: offline here", LogText.name(identity));
      return;
    }
    RelayConnection receiver = target.connection();
    if (!receiver.peer().send(packetBytes)) {
      counters.deliveryFailed.increment();
      log.info("Routed packet for {}: delivery failed", LogText.name(identity));
      if (config.closeFailedTargets()) {
        unregisterAll(receiver);
        receiver.peer().close();
      }
      return;
    }
    counters.routedIn.increment();
  }

  /** Another node took {@code identity} over (the same key reconnected there, or legacy mode). */
  private void loseIdentity(String identity) {
    IdentityTable.Holder holder = identities.lookup(identity);
    if (holder != null && identities.drop(identity, holder.connection())) {
      log.info("Identity \"{}\" re-registered on another node, closing old connection", LogText.name(identity));
      holder.connection().peer().close();
    }
  }

  /** The engine as its router sees it; only the router holds this object. */
  private final class RoutedNode implements RelayRouter.Node {
    @Override
    public void deliver(String identity, byte[] packetBytes) {
      deliverRouted(identity, packetBytes);
    }

    @Override
    public void lost(String identity) {
      loseIdentity(identity);
    }

    @Override
    public Map<String, Ed25519PublicKey> held() {
      return identities.held();
    }
  }

  private FrameOutcome reply(RelayConnection to, String requestId, String body) {
    byte[] bytes = serverPacket(KeepPackets.reply(requestId, body));
    if (bytes.length > KeepPackets.MAX_PACKET_SIZE) {
      log.warn("Write error (discover): packet too large: {} > {}", bytes.length, KeepPackets.MAX_PACKET_SIZE);
      return FrameOutcome.ANSWERED;
    }
    to.peer().send(bytes);
    return FrameOutcome.ANSWERED;
  }

  /** Serialises a server packet, signed with the server key when configured. */
  private byte[] serverPacket(Packet packet) {
    if (config.signReplies() && serverKey != null) {
      return KeepPackets.sign(packet, serverKey).toByteArray();
    }
    return packet.toByteArray();
  }

  /**
   * Sends one heartbeat round (keep.md §2.8): a snapshot of the table is taken first, then each
   * registered connection gets one heartbeat (one per name with {@code heartbeatPerAlias}).
   * A connection whose queue refuses it loses its names and is closed.
   */
  public void heartbeat() {
    Set<RelayConnection> seen = new HashSet<>();
    for (Map.Entry<String, RelayConnection> e : identities.snapshot()) {
      RelayConnection c = e.getValue();
      if (!config.heartbeatPerAlias() && !seen.add(c)) {
        continue;
      }
      if (!c.peer().send(heartbeatBytes)) {
        log.info("Heartbeat fail {}", LogText.name(e.getKey()));
        if (config.removeAllAliases()) {
          unregisterAll(c);
        } else {
          identities.unregister(e.getKey(), c);
        }
        c.peer().close();
      }
    }
  }

  void release(RelayConnection connection) {
    if (config.removeAllAliases()) {
      unregisterAll(connection);
    } else {
      connection.lastSrc().ifPresent(src -> {
        if (identities.unregister(src, connection)) {
          log.debug("Unregistered \"{}\"", LogText.name(src));
        }
      });
    }
    connections.decrementAndGet();
    addresses.computeIfPresent(
        connection.peer().remoteHost(),
        (h, s) -> --s.connections <= 0 ? null : s);
  }

  private void unregisterAll(RelayConnection connection) {
    for (String src : connection.names()) {
      if (identities.unregister(src, connection)) {
        log.debug("Unregistered \"{}\"", LogText.name(src));
      }
    }
  }

  private String bodyForLog(Packet packet) {
    return config.logBodies()
        ? '"' + LogText.escape(packet.getBody(), 256) + '"'
        : "<" + packet.getBody().length() + " chars>";
  }

  // --- read by Discovery and stats ---

  long uptimeSeconds() {
    return Math.max(0, (clock.millis() - startMillis) / 1000);
  }

  IdentityTable identities() {
    return identities;
  }

  /**
   * The identities of the whole deployment, when a router can list them ({@link
   * RelayRouter#agents}); empty on a single node or when the directory cannot be reached.
   */
  Optional<RelayRouter.Agents> deploymentAgents(int limit) {
    return router == null ? Optional.empty() : router.agents(limit);
  }

  ScarCounter scars() {
    return scars;
  }

  long totalPackets() {
    return totalPackets.get();
  }

  /** A snapshot of the counters (connections, names, packets, drops). */
  public RelayStats stats() {
    return counters.snapshot(
        connections.get(), identities.size(), totalPackets.get(), replay == null ? 0 : replay.size());
  }

  /** Per source address: open connections and the shared frame bucket. */
  static final class AddressState {
    final TokenBucket bucket;
    int connections;

    AddressState(TokenBucket bucket) {
      this.bucket = bucket;
    }
  }
}
