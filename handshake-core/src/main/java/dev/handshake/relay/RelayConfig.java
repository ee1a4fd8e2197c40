package dev.handshake.relay;

import java.time.Duration;

/**
 * Everything the relay engine and its transport can be told (keep.md §3). {@link #defaults()}
 * is our hardened behaviour; {@link #referenceProfile()} sets every compatibility switch of
 * keep.md §3 to the keep-protocol 0.3.0 value for parity tests. Limits stay on in both: they
 * change nothing an honest reference client can observe.
 *
 * @param identityMode {@code keep.identity.mode}
 * @param replayWindow {@code keep.replay.window}; zero turns the replay cache off
 * @param replayCapacity most entries the replay cache holds (oldest evicted first)
 * @param preserveUnknownFields {@code keep.forward.preserveUnknownFields}: forward unknown fields
 *     that sit outside the signature (reference) instead of stripping them
 * @param signReplies {@code keep.server.signReplies}: sign replies and heartbeats with the
 *     server's key (needs one) and publish it as {@code server_pk} in {@code discover:info}
 * @param discoveryAgents {@code keep.discovery.agents}
 * @param discoveryStats {@code keep.discovery.stats}
 * @param discoveryAgentsLimit most names one {@code discover:agents} reply lists (the querier's
 *     own first; {@code agents_online} still counts all), so that a deployment's listing stays
 *     bounded and fits a packet
 * @param versionString {@code keep.server.versionString}, reported by {@code discover:info}
 * @param heartbeatInterval period of the global heartbeat ticker; zero turns heartbeats off
 * @param heartbeatPerAlias {@code keep.heartbeat.perAlias}: one heartbeat per registered name
 *     (reference) instead of one per connection
 * @param removeAllAliases {@code keep.disconnect.removeAllAliases}: unregister every name of a
 *     closed connection (reference: only the most recent one, leaving stale aliases)
 * @param closeFailedTargets {@code keep.forward.closeFailedTargets}: close and unregister a
 *     connection whose delivery failed (reference: leave it registered)
 * @param maxNamesPerConnection how many distinct srcs one connection may register
 * @param maxConnections connections open at once (excess accepted, then closed)
 * @param maxConnectionsPerAddress connections open at once from one source address
 * @param firstFrameTimeout the first frame must start within this time of accept
 * @param frameTimeout once a frame's first byte arrived, the whole frame must arrive in this time
 * @param connectionFramesPerSecond token-bucket rate of inbound frames per connection (excess
 *     dropped silently)
 * @param addressFramesPerSecond token-bucket rate of inbound frames per source address
 * @param outboundQueueFrames most frames queued for one connection before it is closed
 * @param outboundQueueBytes most bytes queued for one connection before it is closed
 * @param writeTimeout a queued write that does not complete in this time closes the connection
 * @param logBodies log bodies (escaped, truncated to 256 bytes) instead of their length
 * @param shutdownDrain how long shutdown waits for outbound queues to flush
 * @param verifyThreads threads that verify signatures off the I/O threads while each
 *     connection's packets are still dispatched in arrival order; 0 verifies on the I/O thread
 * @param maxInFlightPerConnection packets of one connection waiting for verification before
 *     the transport stops reading from it
 */
public record RelayConfig(
    IdentityMode identityMode,
    Duration replayWindow,
    int replayCapacity,
    boolean preserveUnknownFields,
    boolean signReplies,
    DiscoveryExposure discoveryAgents,
    DiscoveryExposure discoveryStats,
    int discoveryAgentsLimit,
    String versionString,
    Duration heartbeatInterval,
    boolean heartbeatPerAlias,
    boolean removeAllAliases,
    boolean closeFailedTargets,
    int maxNamesPerConnection,
    int maxConnections,
    int maxConnectionsPerAddress,
    Duration firstFrameTimeout,
    Duration frameTimeout,
    int connectionFramesPerSecond,
    int addressFramesPerSecond,
    int outboundQueueFrames,
    long outboundQueueBytes,
    Duration writeTimeout,
    boolean logBodies,
    Duration shutdownDrain,
    int verifyThreads,
    int maxInFlightPerConnection) {

  /** The most scar senders counted in {@code discover:stats} (keep.md §2.4 step 6). */
  public static final int MAX_SCAR_ENTRIES = 1000;

  public RelayConfig {
    requirePositive("replayCapacity", replayCapacity);
    requirePositive("discoveryAgentsLimit", discoveryAgentsLimit);
    requirePositive("maxNamesPerConnection", maxNamesPerConnection);
    requirePositive("maxConnections", maxConnections);
    requirePositive("maxConnectionsPerAddress", maxConnectionsPerAddress);
    requirePositive("connectionFramesPerSecond", connectionFramesPerSecond);
    requirePositive("addressFramesPerSecond", addressFramesPerSecond);
    requirePositive("outboundQueueFrames", outboundQueueFrames);
    requirePositive("maxInFlightPerConnection", maxInFlightPerConnection);
    if (verifyThreads < 0) {
      throw new IllegalArgumentException("verifyThreads must not be negative");
    }
    if (outboundQueueBytes < KeepPackets.MAX_PACKET_SIZE + 4) {
      throw new IllegalArgumentException("outboundQueueBytes must hold at least one full frame");
    }
    for (Duration d :
        new Duration[] {replayWindow, heartbeatInterval, shutdownDrain, firstFrameTimeout}) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("durations must not be negative: " + d);
      }
    }
    if (frameTimeout.isNegative() || frameTimeout.isZero()) {
      throw new IllegalArgumentException("frameTimeout must be positive");
    }
    if (writeTimeout.isNegative() || writeTimeout.isZero()) {
      throw new IllegalArgumentException("writeTimeout must be positive");
    }
  }

  private static void requirePositive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }

  /** Our defaults (keep.md §3). */
  public static RelayConfig defaults() {
    return builder().build();
  }

  /** Every compatibility switch at the keep-protocol 0.3.0 value (keep.md §3 table). */
  public static RelayConfig referenceProfile() {
    return builder().referenceProfile().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Mutable builder; starts from {@link #defaults()}. */
  public static final class Builder {
    private IdentityMode identityMode = IdentityMode.BOUND_LIVE;
    private Duration replayWindow = Duration.ofMinutes(10);
    private int replayCapacity = 1_000_000;
    private boolean preserveUnknownFields;
    private boolean signReplies;
    private DiscoveryExposure discoveryAgents = DiscoveryExposure.PUBLIC;
    private DiscoveryExposure discoveryStats = DiscoveryExposure.PUBLIC;
    private int discoveryAgentsLimit = 1_000;
    private String versionString = "0.3.0";
    private Duration heartbeatInterval = Duration.ofSeconds(60);
    private boolean heartbeatPerAlias;
    private boolean removeAllAliases = true;
    private boolean closeFailedTargets = true;
    private int maxNamesPerConnection = 16;
    private int maxConnections = 10_000;
    private int maxConnectionsPerAddress = 64;
    private Duration firstFrameTimeout = Duration.ofSeconds(30);
    private Duration frameTimeout = Duration.ofSeconds(30);
    private int connectionFramesPerSecond = 2_000;
    private int addressFramesPerSecond = 5_000;
    private int outboundQueueFrames = 1_024;
    private long outboundQueueBytes = 8L * 1024 * 1024;
    private Duration writeTimeout = Duration.ofSeconds(10);
    private boolean logBodies;
    private Duration shutdownDrain = Duration.ofSeconds(5);
    private int verifyThreads = Runtime.getRuntime().availableProcessors();
    private int maxInFlightPerConnection = 256;

    private Builder() {}

    private Builder(RelayConfig c) {
      identityMode = c.identityMode;
      replayWindow = c.replayWindow;
      replayCapacity = c.replayCapacity;
      preserveUnknownFields = c.preserveUnknownFields;
      signReplies = c.signReplies;
      discoveryAgents = c.discoveryAgents;
      discoveryStats = c.discoveryStats;
      discoveryAgentsLimit = c.discoveryAgentsLimit;
      versionString = c.versionString;
      heartbeatInterval = c.heartbeatInterval;
      heartbeatPerAlias = c.heartbeatPerAlias;
      removeAllAliases = c.removeAllAliases;
      closeFailedTargets = c.closeFailedTargets;
      maxNamesPerConnection = c.maxNamesPerConnection;
      maxConnections = c.maxConnections;
      maxConnectionsPerAddress = c.maxConnectionsPerAddress;
      firstFrameTimeout = c.firstFrameTimeout;
      frameTimeout = c.frameTimeout;
      connectionFramesPerSecond = c.connectionFramesPerSecond;
      addressFramesPerSecond = c.addressFramesPerSecond;
      outboundQueueFrames = c.outboundQueueFrames;
      outboundQueueBytes = c.outboundQueueBytes;
      writeTimeout = c.writeTimeout;
      logBodies = c.logBodies;
      shutdownDrain = c.shutdownDrain;
      verifyThreads = c.verifyThreads;
      maxInFlightPerConnection = c.maxInFlightPerConnection;
    }

    /** Sets every keep.md §3 compatibility switch to the reference value. */
    public Builder referenceProfile() {
      identityMode = IdentityMode.LEGACY;
      replayWindow = Duration.ZERO;
      preserveUnknownFields = true;
      signReplies = false;
      discoveryAgents = DiscoveryExposure.PUBLIC;
      discoveryStats = DiscoveryExposure.PUBLIC;
      versionString = "0.3.0";
      heartbeatPerAlias = true;
      removeAllAliases = false;
      closeFailedTargets = false;
      maxNamesPerConnection = Integer.MAX_VALUE;
      return this;
    }

    public Builder identityMode(IdentityMode v) {
      identityMode = v;
      return this;
    }

    public Builder replayWindow(Duration v) {
      replayWindow = v;
      return this;
    }

    public Builder replayCapacity(int v) {
      replayCapacity = v;
      return this;
    }

    public Builder preserveUnknownFields(boolean v) {
      preserveUnknownFields = v;
      return this;
    }

    public Builder signReplies(boolean v) {
      signReplies = v;
      return this;
    }

    public Builder discoveryAgents(DiscoveryExposure v) {
      discoveryAgents = v;
      return this;
    }

    public Builder discoveryStats(DiscoveryExposure v) {
      discoveryStats = v;
      return this;
    }

    public Builder discoveryAgentsLimit(int v) {
      discoveryAgentsLimit = v;
      return this;
    }

    public Builder versionString(String v) {
      versionString = v;
      return this;
    }

    public Builder heartbeatInterval(Duration v) {
      heartbeatInterval = v;
      return this;
    }

    public Builder heartbeatPerAlias(boolean v) {
      heartbeatPerAlias = v;
      return this;
    }

    public Builder removeAllAliases(boolean v) {
      removeAllAliases = v;
      return this;
    }

    public Builder closeFailedTargets(boolean v) {
      closeFailedTargets = v;
      return this;
    }

    public Builder maxNamesPerConnection(int v) {
      maxNamesPerConnection = v;
      return this;
    }

    public Builder maxConnections(int v) {
      maxConnections = v;
      return this;
    }

    public Builder maxConnectionsPerAddress(int v) {
      maxConnectionsPerAddress = v;
      return this;
    }

    public Builder firstFrameTimeout(Duration v) {
      firstFrameTimeout = v;
      return this;
    }

    public Builder frameTimeout(Duration v) {
      frameTimeout = v;
      return this;
    }

    public Builder connectionFramesPerSecond(int v) {
      connectionFramesPerSecond = v;
      return this;
    }

    public Builder addressFramesPerSecond(int v) {
      addressFramesPerSecond = v;
      return this;
    }

    public Builder outboundQueueFrames(int v) {
      outboundQueueFrames = v;
      return this;
    }

    public Builder outboundQueueBytes(long v) {
      outboundQueueBytes = v;
      return this;
    }

    public Builder writeTimeout(Duration v) {
      writeTimeout = v;
      return this;
    }

    public Builder logBodies(boolean v) {
      logBodies = v;
      return this;
    }

    public Builder shutdownDrain(Duration v) {
      shutdownDrain = v;
      return this;
    }

    public Builder verifyThreads(int v) {
      verifyThreads = v;
      return this;
    }

    public Builder maxInFlightPerConnection(int v) {
      maxInFlightPerConnection = v;
      return this;
    }

    public RelayConfig build() {
      return new RelayConfig(
          identityMode,
          replayWindow,
          replayCapacity,
          preserveUnknownFields,
          signReplies,
          discoveryAgents,
          discoveryStats,
          discoveryAgentsLimit,
          versionString,
          heartbeatInterval,
          heartbeatPerAlias,
          removeAllAliases,
          closeFailedTargets,
          maxNamesPerConnection,
          maxConnections,
          maxConnectionsPerAddress,
          firstFrameTimeout,
          frameTimeout,
          connectionFramesPerSecond,
          addressFramesPerSecond,
          outboundQueueFrames,
          outboundQueueBytes,
          writeTimeout,
          logBodies,
          shutdownDrain,
          verifyThreads,
          maxInFlightPerConnection);
    }
  }
}
