package dev.handshake.server.cli;

import dev.handshake.relay.DiscoveryExposure;
import dev.handshake.relay.IdentityMode;
import dev.handshake.relay.RelayConfig;
import dev.handshake.server.relay.RelayListener;
import dev.handshake.server.relay.RelayTls;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The relay flags of {@code handshake serve} (keep.md §3 switches and limits). Each also reads
 * an environment variable; the {@code --profile} of serve chooses the starting point.
 */
final class RelayOptions {
  @Option(names = "--relay-bind", defaultValue = "${env:HANDSHAKE_RELAY_BIND:-127.0.0.1}",
      description = "Relay (keep-protocol TCP) bind address (env HANDSHAKE_RELAY_BIND, default ${DEFAULT-VALUE}; keep.bind). A non-loopback address must be given explicitly.")
  String bind;

  @Option(names = "--relay-port", defaultValue = "${env:HANDSHAKE_RELAY_PORT:-9009}",
      description = "Relay port (env HANDSHAKE_RELAY_PORT, default ${DEFAULT-VALUE}; 0 = relay off).")
  int port;

  @Option(names = "--relay-heartbeat", defaultValue = "${env:HANDSHAKE_RELAY_HEARTBEAT:-60s}",
      description = "Heartbeat period, e.g. 60s, 500ms; 0 = off (env HANDSHAKE_RELAY_HEARTBEAT).")
  String heartbeat;

  @Option(names = "--relay-identity-mode", defaultValue = "${env:HANDSHAKE_RELAY_IDENTITY_MODE}",
      description = "bound-live (default), pinned or legacy (keep.identity.mode).")
  String identityMode;

  @Option(names = "--relay-pins", defaultValue = "${env:HANDSHAKE_RELAY_PINS:-handshake-data/relay-pins.json}",
      description = "File of src -> base64 public key pins for --relay-identity-mode pinned; new pins are added to it.")
  String pinsFile;

  @Option(names = "--relay-replay-window", defaultValue = "${env:HANDSHAKE_RELAY_REPLAY_WINDOW}",
      description = "Replay cache window, e.g. 10m; 0 = off (keep.replay.window; default 10m, reference 0).")
  String replayWindow;

  @Option(names = "--relay-replay-capacity", defaultValue = "${env:HANDSHAKE_RELAY_REPLAY_CAPACITY:-1000000}",
      description = "Most entries in the replay cache.")
  int replayCapacity;

  @Option(names = "--relay-preserve-unknown-fields", negatable = true, defaultValue = "${env:HANDSHAKE_RELAY_PRESERVE_UNKNOWN_FIELDS}",
      description = "Forward unknown protobuf fields (keep.forward.preserveUnknownFields; default false, reference true).")
  Boolean preserveUnknownFields;

  @Option(names = "--relay-sign-replies", negatable = true, defaultValue = "${env:HANDSHAKE_RELAY_SIGN_REPLIES:-false}",
      description = "Sign replies and heartbeats with --relay-key (keep.server.signReplies).")
  boolean signReplies;

  @Option(names = "--relay-key", defaultValue = "${env:HANDSHAKE_RELAY_KEY}",
      description = "Server identity key file (handshake id new / relay --key-out) used by --relay-sign-replies.")
  String keyFile;

  @Option(names = "--relay-discovery-agents", defaultValue = "${env:HANDSHAKE_RELAY_DISCOVERY_AGENTS:-public}",
      description = "Who may list agents: public, self or off (keep.discovery.agents).")
  String discoveryAgents;

  @Option(names = "--relay-discovery-stats", defaultValue = "${env:HANDSHAKE_RELAY_DISCOVERY_STATS:-public}",
      description = "Who may read stats: public, self or off (keep.discovery.stats).")
  String discoveryStats;

  @Option(names = "--relay-discovery-limit", defaultValue = "${env:HANDSHAKE_RELAY_DISCOVERY_LIMIT:-1000}",
      description = "Most names one discover:agents reply lists (across nodes with --redis); agents_online counts all.")
  int discoveryLimit;

  @Option(names = "--relay-version-string", defaultValue = "${env:HANDSHAKE_RELAY_VERSION_STRING:-0.3.0}",
      description = "Version reported by discover:info (keep.server.versionString).")
  String versionString;

  @Option(names = "--relay-max-connections", defaultValue = "${env:HANDSHAKE_RELAY_MAX_CONNECTIONS:-10000}",
      description = "Relay connections open at once.")
  int maxConnections;

  @Option(names = "--relay-max-connections-per-address", defaultValue = "${env:HANDSHAKE_RELAY_MAX_CONNECTIONS_PER_ADDRESS:-64}",
      description = "Relay connections open at once from one address.")
  int maxConnectionsPerAddress;

  @Option(names = "--relay-frame-rate", defaultValue = "${env:HANDSHAKE_RELAY_FRAME_RATE:-2000}",
      description = "Inbound frames per second per connection (excess dropped).")
  int frameRate;

  @Option(names = "--relay-address-frame-rate", defaultValue = "${env:HANDSHAKE_RELAY_ADDRESS_FRAME_RATE:-5000}",
      description = "Inbound frames per second per source address (excess dropped).")
  int addressFrameRate;

  @Option(names = "--relay-frame-timeout", defaultValue = "${env:HANDSHAKE_RELAY_FRAME_TIMEOUT:-30s}",
      description = "Time allowed for the first frame after accept and for any started frame.")
  String frameTimeout;

  @Option(names = "--relay-queue-frames", defaultValue = "${env:HANDSHAKE_RELAY_QUEUE_FRAMES:-1024}",
      description = "Outbound frames queued per connection before it is closed.")
  int queueFrames;

  @Option(names = "--relay-write-timeout", defaultValue = "${env:HANDSHAKE_RELAY_WRITE_TIMEOUT:-10s}",
      description = "A write that makes no progress for this long closes the connection.")
  String writeTimeout;

  @Option(names = "--relay-max-names", defaultValue = "${env:HANDSHAKE_RELAY_MAX_NAMES}",
      description = "Distinct srcs one connection may register (default 16; reference unlimited).")
  Integer maxNames;

  @Option(names = "--relay-verify-threads", defaultValue = "${env:HANDSHAKE_RELAY_VERIFY_THREADS}",
      description = "Signature-verification threads (default: one per core; 0 = verify on the I/O threads).")
  Integer verifyThreads;

  @Option(names = "--relay-tls-port", defaultValue = "${env:HANDSHAKE_RELAY_TLS_PORT:-0}",
      description = "Also listen with TLS on this port (keep.tls.bind; 0 = off). Same framing inside TLS.")
  int tlsPort;

  @Option(names = "--relay-tls-bind", defaultValue = "${env:HANDSHAKE_RELAY_TLS_BIND}",
      description = "TLS listener bind address (default: --relay-bind).")
  String tlsBind;

  @Option(names = "--relay-tls-keystore", defaultValue = "${env:HANDSHAKE_RELAY_TLS_KEYSTORE}",
      description = "PKCS#12 key store with the server's TLS key and certificate.")
  String tlsKeyStore;

  @Option(names = "--relay-tls-password-env", defaultValue = "HANDSHAKE_RELAY_TLS_PASSWORD",
      description = "Name of the environment variable holding the key store password (never on the command line).")
  String tlsPasswordEnv;

  @Option(names = "--relay-log-bodies", defaultValue = "${env:HANDSHAKE_RELAY_LOG_BODIES:-false}",
      description = "Debug-log bodies (escaped, first 256 chars) instead of their length.")
  boolean logBodies;

  /** The TLS listener settings, or null when {@code --relay-tls-port} is 0. */
  RelayListener.@Nullable Tls tls() throws IOException {
    if (tlsPort == 0) {
      return null;
    }
    if (tlsKeyStore == null || tlsKeyStore.isBlank()) {
      throw new IllegalArgumentException("--relay-tls-port needs --relay-tls-keystore");
    }
    String password = System.getenv(tlsPasswordEnv);
    SslContext context =
        RelayTls.fromPkcs12(Path.of(tlsKeyStore), password == null ? new char[0] : password.toCharArray());
    String host = tlsBind == null || tlsBind.isBlank() ? bind : tlsBind;
    return new RelayListener.Tls(host, tlsPort, context);
  }

  RelayConfig toConfig(boolean referenceProfile) {
    RelayConfig.Builder b = RelayConfig.builder();
    if (referenceProfile) {
      b.referenceProfile();
    }
    if (identityMode != null && !identityMode.isBlank()) {
      b.identityMode(IdentityMode.parse(identityMode));
    }
    if (replayWindow != null && !replayWindow.isBlank()) {
      b.replayWindow(parseDuration(replayWindow));
    }
    if (preserveUnknownFields != null) {
      b.preserveUnknownFields(preserveUnknownFields);
    }
    if (verifyThreads != null) {
      b.verifyThreads(verifyThreads);
    }
    if (maxNames != null) {
      b.maxNamesPerConnection(maxNames);
    }
    Duration frames = parseDuration(frameTimeout);
    return b.replayCapacity(replayCapacity)
        .signReplies(signReplies)
        .discoveryAgents(DiscoveryExposure.parse(discoveryAgents))
        .discoveryStats(DiscoveryExposure.parse(discoveryStats))
        .discoveryAgentsLimit(discoveryLimit)
        .versionString(versionString)
        .heartbeatInterval(parseDuration(heartbeat))
        .maxConnections(maxConnections)
        .maxConnectionsPerAddress(maxConnectionsPerAddress)
        .connectionFramesPerSecond(frameRate)
        .addressFramesPerSecond(addressFrameRate)
        .firstFrameTimeout(frames)
        .frameTimeout(frames)
        .outboundQueueFrames(queueFrames)
        .writeTimeout(parseDuration(writeTimeout))
        .logBodies(logBodies)
        .build();
  }

  /** {@code 60s}, {@code 500ms}, {@code 10m}, {@code 1h}, a bare number of seconds, or ISO-8601. */
  static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("p")) {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      }
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      if (t.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
      }
      if (t.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
      }
      if (t.endsWith("h")) {
        return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
      }
      return Duration.ofSeconds(Long.parseLong(t));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a duration: '" + text + "' (use e.g. 60s, 500ms, 10m)", e);
    }
  }
}
