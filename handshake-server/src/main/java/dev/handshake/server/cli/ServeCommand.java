package dev.handshake.server.cli;

import dev.handshake.audit.AuditRecorder;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.delegation.DelegationTrust;
import dev.handshake.delegation.HandoffConfig;
import dev.handshake.delegation.http.DelegationHttpApi;
import dev.handshake.identity.KeyFiles;
import dev.handshake.identity.LoadedKey;
import dev.handshake.relay.FilePinStore;
import dev.handshake.relay.IdentityMode;
import dev.handshake.relay.InMemoryPinStore;
import dev.handshake.relay.PinStore;
import dev.handshake.relay.RelayConfig;
import dev.handshake.relay.RelayEngine;
import dev.handshake.server.HandshakeServer;
import dev.handshake.server.ServerAudit;
import dev.handshake.server.ServerConfig;
import dev.handshake.server.ServerDelegation;
import dev.handshake.server.ServerPairing;
import dev.handshake.server.SharedState;
import dev.handshake.server.relay.RelayAuditTap;
import dev.handshake.server.relay.RelayListener;
import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code handshake serve}: starts the server. Every option also reads an environment variable;
 * a flag wins over the variable, which wins over the default (DESIGN.md rule 6).
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the Handshake server.")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--host", defaultValue = "${env:HANDSHAKE_HOST:-127.0.0.1}",
      description = "Bind address (env HANDSHAKE_HOST, default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "${env:HANDSHAKE_PORT:-8080}",
      description = "HTTP/WebSocket port (env HANDSHAKE_PORT, default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--prefix", defaultValue = "${env:HANDSHAKE_PREFIX:-/handshake}",
      description = "HTTP URL prefix (env HANDSHAKE_PREFIX). Reference agents need /handshake.")
  String prefix;

  @Option(names = "--ws-prefix", defaultValue = "${env:HANDSHAKE_WS_PREFIX:-/ws/handshake}",
      description = "WebSocket URL prefix (env HANDSHAKE_WS_PREFIX).")
  String wsPrefix;

  @Option(names = "--ttl", defaultValue = "${env:HANDSHAKE_TTL:-1800}",
      description = "Idle session lifetime in seconds (env HANDSHAKE_TTL, default ${DEFAULT-VALUE}).")
  long ttl;

  @Option(names = "--rate-limit", defaultValue = "${env:HANDSHAKE_RATE_LIMIT:-60}",
      description = "Agent requests per session per minute (env HANDSHAKE_RATE_LIMIT).")
  int rateLimit;

  @Option(names = "--max-body", defaultValue = "${env:HANDSHAKE_MAX_BODY:-1048576}",
      description = "Largest request body in bytes (env HANDSHAKE_MAX_BODY).")
  int maxBody;

  @Option(names = "--max-sessions", defaultValue = "${env:HANDSHAKE_MAX_SESSIONS:-10000}",
      description = "Live sessions at most (env HANDSHAKE_MAX_SESSIONS; 0 = unlimited).")
  int maxSessions;

  @Option(names = "--max-connections", defaultValue = "${env:HANDSHAKE_MAX_CONNECTIONS:-10000}",
      description = "Open connections at most (env HANDSHAKE_MAX_CONNECTIONS).")
  int maxConnections;

  @Option(names = "--public-url", defaultValue = "${env:HANDSHAKE_PUBLIC_URL}",
      description = "Base URL printed in prompts, e.g. https://app.example (env HANDSHAKE_PUBLIC_URL).")
  String publicUrl;

  @Option(names = "--allowed-origin", split = ",", defaultValue = "${env:HANDSHAKE_ALLOWED_ORIGINS}",
      description = "Browser origins allowed to create sessions and notify (env HANDSHAKE_ALLOWED_ORIGINS, comma-separated; default: same origin).")
  List<String> allowedOrigins = new ArrayList<>();

  @Option(names = "--create-key-env", defaultValue = "HANDSHAKE_CREATE_KEY",
      description = "Name of the environment variable holding the server-to-server creation key (sent as X-Handshake-Create-Key); never passed on the command line.")
  String createKeyEnv;

  @Option(names = "--profile", defaultValue = "${env:HANDSHAKE_PROFILE:-default}",
      description = "default (hardened) or reference (every compatibility switch at the reference behaviour).")
  String profile;

  @Option(names = "--no-demo", description = "Do not serve the demo page at /.")
  boolean noDemo;

  @Option(names = "--data", defaultValue = "${env:HANDSHAKE_DATA:-handshake-data}",
      description = "Data folder: audit.db, transparency-log.db, server-audit.key (env HANDSHAKE_DATA, default ${DEFAULT-VALUE}).")
  String dataDir;

  @Option(names = "--audit", arity = "0..1", fallbackValue = "true",
      defaultValue = "${env:HANDSHAKE_AUDIT:-true}",
      description = "Keep the server audit log and serve /v1/audit/* (env HANDSHAKE_AUDIT, default ${DEFAULT-VALUE}; --audit=false disables).")
  boolean audit;

  @Option(names = "--audit-relay", arity = "0..1", fallbackValue = "true",
      defaultValue = "${env:HANDSHAKE_AUDIT_RELAY:-false}",
      description = "Record a receipt (sender, destination, packet hash; never the body) for every forwarded relay packet on the server's audit chain (env HANDSHAKE_AUDIT_RELAY, default ${DEFAULT-VALUE}).")
  boolean auditRelay;

  @Option(names = "--audit-relay-queue", defaultValue = "" + RelayAuditTap.DEFAULT_CAPACITY,
      description = "Relay receipts waiting to be written before further packets go unrecorded (counted in the next receipt) (default ${DEFAULT-VALUE}).")
  int auditRelayQueue;

  @Option(names = "--audit-passphrase-env", defaultValue = "HANDSHAKE_AUDIT_PASSPHRASE",
      description = "Name of the environment variable holding the passphrase of <data>/server-audit.key (default ${DEFAULT-VALUE}); when unset, a generated one is kept in <data>/server-audit.pass.")
  String auditPassphraseEnv;

  @Option(names = "--pairing", arity = "0..1", fallbackValue = "true",
      defaultValue = "${env:HANDSHAKE_PAIRING:-true}",
      description = "Serve the pairing admin API /v1/pairing/* (and PraisonAI's /api/pairing/*) over <data>/pairing.db, guarded by operator tokens (env HANDSHAKE_PAIRING, default ${DEFAULT-VALUE}).")
  boolean pairing;

  @Option(names = "--require-paired-sessions", arity = "0..1", fallbackValue = "true",
      defaultValue = "${env:HANDSHAKE_REQUIRE_PAIRED_SESSIONS:-false}",
      description = "Creating a session needs a paired principal's access token (Authorization: Bearer, from the device flow); the session is bound to it (env HANDSHAKE_REQUIRE_PAIRED_SESSIONS, default ${DEFAULT-VALUE}).")
  boolean requirePairedSessions;

  @Option(names = "--pairing-code-ttl", defaultValue = "${env:HANDSHAKE_PAIRING_CODE_TTL:-3600}",
      description = "Seconds a pairing request and its code live (env HANDSHAKE_PAIRING_CODE_TTL, default ${DEFAULT-VALUE}; PraisonAI uses 300). The CLI must use the same value.")
  long pairingCodeTtl;

  @Option(names = "--pairing-praisonai-http", arity = "0..1", fallbackValue = "true",
      defaultValue = "${env:HANDSHAKE_PAIRING_PRAISONAI_HTTP:-true}",
      description = "pairing.compat.praisonaiHttpApi: also serve GET /api/pairing/pending, POST /api/pairing/approve and /api/pairing/revoke (default ${DEFAULT-VALUE}).")
  boolean pairingPraisonaiHttp;

  @Option(names = "--dpop-nonce", arity = "0..1", fallbackValue = "true",
      defaultValue = "${env:HANDSHAKE_DPOP_NONCE:-false}",
      description = "DPoP proofs must carry a fresh server nonce (DPoP-Nonce, RFC 9449 §8-9; env HANDSHAKE_DPOP_NONCE, default ${DEFAULT-VALUE}).")
  boolean dpopNonce;

  @Option(names = "--require-dpop", arity = "0..1", fallbackValue = "true",
      defaultValue = "${env:HANDSHAKE_REQUIRE_DPOP:-false}",
      description = "The token endpoint issues only DPoP-bound tokens: a token request without a DPoP proof is refused (env HANDSHAKE_REQUIRE_DPOP, default ${DEFAULT-VALUE}; off keeps plain RFC 8628 clients working).")
  boolean requireDpop;

  @Option(names = "--redis", paramLabel = "URL", defaultValue = "${env:HANDSHAKE_REDIS}",
      description = "Share state between server nodes through Redis (redis://[:password@]host[:port][/db]; env HANDSHAKE_REDIS): sessions with TTL, WebSocket pushes between nodes, rate limits, replay memory, and, without --db, pairing (requests, grants, devices, device flows, access tokens; copy the first node's <data>/pairing.pepper to every node: a node with another is refused at start). Default: embedded (one node). docs/STORES.md")
  @Nullable String redisUrl;

  @Option(names = "--db", paramLabel = "URL", defaultValue = "${env:HANDSHAKE_DB}",
      description = "Keep pairing (requests, grants, devices, device flows, access tokens; wins over --redis for these), the audit chains and this node's transparency log, and, without --redis, replay memory in PostgreSQL (postgresql://user[:password]@host[:port]/db; env HANDSHAKE_DB; schema migrated at start; every node needs the first node's <data>/pairing.pepper and is refused at start without it). Default: SQLite in --data. docs/STORES.md")
  @Nullable String dbUrl;

  @Option(names = "--delegation-registry", paramLabel = "FILE",
      defaultValue = "${env:HANDSHAKE_DELEGATION_REGISTRY}",
      description = "JSON object {\"<agent id>\": \"<public key PEM>\"} of agents whose hand-offs /delegation/verify checks against their registered key (env HANDSHAKE_DELEGATION_REGISTRY); read at start-up, a bad file stops the start.")
  @Nullable String delegationRegistry;

  @Option(names = "--delegation-trust-anchor", paramLabel = "ID", split = ",",
      defaultValue = "${env:HANDSHAKE_DELEGATION_TRUST_ANCHORS}",
      description = "Agent id allowed to issue root capabilities (repeatable; env HANDSHAKE_DELEGATION_TRUST_ANCHORS, comma-separated). Without one, packets carrying a capability token are refused.")
  List<String> delegationTrustAnchors = new ArrayList<>();

  @Mixin RelayOptions relay = new RelayOptions();

  /** The passphrase of {@code --relay-key}. */
  @Mixin PassphraseOptions passphrase = new PassphraseOptions();

  @CommandLine.Spec CommandLine.Model.@Nullable CommandSpec spec;

  /** What the node shares with others; embedded until {@link #call} opens the configured one. */
  SharedState shared = SharedState.embedded();

  @Override
  public Integer call() throws Exception {
    ServerConfig config = toConfig();
    DelegationTrust trust = delegationTrust();
    SharedState shared = SharedState.open(
        Optional.ofNullable(redisUrl).filter(u -> !u.isBlank()),
        Optional.ofNullable(dbUrl).filter(u -> !u.isBlank()));
    try {
      return serve(config, trust, shared);
    } catch (dev.handshake.server.PepperMismatchException e) {
      shared.close();
      // an operator's mistake with one fix, not a crash: the message says which file to copy
      java.io.PrintWriter err = spec != null ? spec.commandLine().getErr()
          : new java.io.PrintWriter(System.err, true);
      err.println("serve: " + e.getMessage());
      err.flush();
      return EXIT_PEPPER_MISMATCH;
    } catch (Exception e) {
      shared.close();
      throw e;
    }
  }

  /** Exit code when this node's pairing pepper is not the other nodes' (nothing was started). */
  static final int EXIT_PEPPER_MISMATCH = 2;

  private Integer serve(ServerConfig config, DelegationTrust trust, SharedState shared)
      throws Exception {
    this.shared = shared;
    @Nullable ServerAudit serverAudit = openAudit();
    ServerDelegation delegation;
    try {
      delegation = openDelegation(trust, serverAudit);
    } catch (IOException | RuntimeException e) {
      if (serverAudit != null) {
        serverAudit.close();
      }
      throw e;
    }
    @Nullable RelayListener relayListener;
    try {
      relayListener = startRelay(serverAudit);
    } catch (IOException | InterruptedException | RuntimeException e) {
      delegation.close();
      if (serverAudit != null) {
        serverAudit.close();
      }
      throw e;
    }
    @Nullable ServerPairing serverPairing;
    try {
      serverPairing = openPairing();
      if (serverPairing != null && serverAudit != null) {
        serverPairing.recordTo(serverAudit.recorder(), Path.of(dataDir));
      }
    } catch (IOException | RuntimeException e) {
      if (relayListener != null) {
        relayListener.close();
      }
      delegation.close();
      if (serverAudit != null) {
        serverAudit.close();
      }
      throw e;
    }
    if (requirePairedSessions && serverPairing == null) {
      throw new CommandLine.ParameterException(
          spec != null ? spec.commandLine() : new CommandLine(this),
          "--require-paired-sessions needs pairing (drop --pairing=false)");
    }
    SessionEngine.Builder engineBuilder =
        shared.sessions(SessionEngine.builder().config(config.sessions()), Clock.systemUTC());
    if (requirePairedSessions) {
      engineBuilder.hooks(dev.handshake.session.SessionHooks.builder()
          .onCreateSession(new dev.handshake.server.PairedSessionGate(serverPairing.accessTokens(),
              new dev.handshake.pairing.auth.InMemorySessionBinding(
                  dev.handshake.pairing.auth.InMemorySessionBinding.DEFAULT_MAX_SESSIONS)))
          .build());
    }
    SessionEngine engine = engineBuilder.build();
    HandshakeServer server;
    try {
      server = HandshakeServer.start(config, engine, serverAudit, delegation, serverPairing);
    } catch (InterruptedException | RuntimeException e) {
      if (relayListener != null) {
        relayListener.close();
      }
      throw e;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (relayListener != null) {
                    relayListener.close();
                  }
                  server.close();
                  shared.close();
                },
                "handshake-shutdown"));
    System.out.println("Handshake is serving on " + server.baseUri() + "  (demo page: " + server.baseUri() + "/)");
    System.out.println("Shared state: " + shared.describe());
    if (relayListener != null) {
      System.out.println("Relay (keep-protocol) on " + relayListener.address());
      relayListener.tlsAddress().ifPresent(a -> System.out.println("Relay over TLS on " + a));
    }
    if (serverAudit != null) {
      System.out.println(
          "Audit log at " + server.baseUri() + "/v1/audit/checkpoint  (log key "
              + serverAudit.ledger().verifierKey().text() + ")");
    }
    System.out.println(
        "Delegation: POST " + server.baseUri() + DelegationHttpApi.VERIFY + "?receiver=<agent id>  ("
            + trust.registry().size() + " registered agents, " + trust.trustAnchors().size()
            + " trust anchors)");
    if (serverPairing != null) {
      System.out.println(
          "Pairing admin API at " + server.baseUri() + "/v1/pairing  (operator token: "
              + Path.of(dataDir).resolve(dev.handshake.pairing.auth.OperatorTokens.DEFAULT_FILE)
              + "; approve from this machine with: handshake pair list / handshake pair approve CODE --data "
              + dataDir + shared.sharedPairing().map(x -> " and this node's --redis / --db").orElse("")
              + ")");
    }
    server.awaitClose();
    return 0;
  }

  /** Pairing over {@code --data}, unless {@code --pairing=false}. */
  @Nullable ServerPairing openPairing() throws IOException {
    if (!pairing) {
      return null;
    }
    return ServerPairing.open(
        Path.of(dataDir),
        host,
        pairingConfig(pairingCodeTtl),
        new dev.handshake.pairing.http.PairingHttpApi.Settings(
            pairingPraisonaiHttp,
            dev.handshake.pairing.http.PairingHttpApi.Settings.DEFAULTS.callsPerWindow(),
            dev.handshake.pairing.http.PairingHttpApi.Settings.DEFAULTS.window()),
        Optional.ofNullable(System.getenv(dev.handshake.pairing.auth.OperatorTokens.ENV)),
        Optional.ofNullable(publicUrl).filter(u -> !u.isBlank()),
        allowedOrigins == null ? java.util.Set.of()
            : allowedOrigins.stream().map(String::strip).filter(o -> !o.isEmpty())
                .collect(java.util.stream.Collectors.toUnmodifiableSet()),
        dev.handshake.pairing.dpop.DpopConfig.defaults().withRequireNonce(dpopNonce)
            .withRequireProof(requireDpop),
        shared,
        Clock.systemUTC());
  }

  /** The pairing settings shared by {@code serve} and {@code pair}. */
  static dev.handshake.pairing.PairingConfig pairingConfig(long codeTtlSeconds) {
    if (codeTtlSeconds < 1) {
      throw new IllegalArgumentException("--pairing-code-ttl must be at least 1 second");
    }
    return dev.handshake.pairing.PairingConfig.defaults()
        .codeTtl(java.time.Duration.ofSeconds(codeTtlSeconds));
  }

  /**
   * The registry ({@code --delegation-registry}) and trust anchors, read now so that a bad file
   * stops the start with a usage error naming it.
   */
  DelegationTrust delegationTrust() {
    Optional<Path> file =
        Optional.ofNullable(delegationRegistry).filter(s -> !s.isBlank()).map(Path::of);
    List<String> anchors =
        delegationTrustAnchors == null
            ? List.of()
            : delegationTrustAnchors.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    try {
      return DelegationTrust.read(file, anchors);
    } catch (IOException e) {
      throw new CommandLine.ParameterException(
          spec != null ? spec.commandLine() : new CommandLine(this),
          "--delegation-registry: " + IdCommand.explain(e));
    }
  }

  /** The delegation receiver: our default profile, receipts when the audit log is on. */
  ServerDelegation openDelegation(DelegationTrust trust, @Nullable ServerAudit serverAudit)
      throws IOException {
    return ServerDelegation.open(
        Path.of(dataDir),
        HandoffConfig.defaults(),
        trust,
        Optional.ofNullable(serverAudit).map(ServerAudit::recorder),
        shared,
        Clock.systemUTC());
  }

  /**
   * Opens the server audit log unless {@code --audit=false}: the key in {@code --data}, chains and
   * log in {@code --data} or, with {@code --db}, in PostgreSQL (this node's own log).
   */
  @Nullable ServerAudit openAudit() throws IOException {
    if (!audit) {
      return null;
    }
    Optional<String> passphrase =
        Optional.ofNullable(System.getenv(auditPassphraseEnv)).filter(s -> !s.isEmpty());
    Set<AuditRecorder.Kind> kinds = EnumSet.noneOf(AuditRecorder.Kind.class);
    kinds.addAll(ServerAudit.DEFAULT_KINDS);
    if (auditRelay) {
      kinds.add(AuditRecorder.Kind.RELAY);
    }
    return ServerAudit.open(Path.of(dataDir), passphrase, kinds, shared);
  }

  /** Starts the keep-protocol listener unless {@code --relay-port 0}. */
  @Nullable RelayListener startRelay(@Nullable ServerAudit serverAudit)
      throws IOException, InterruptedException {
    if (relay.port == 0) {
      return null;
    }
    RelayConfig relayConfig = relay.toConfig(isReferenceProfile());
    @Nullable Ed25519PrivateKey key = null;
    if (relay.keyFile != null && !relay.keyFile.isBlank()) {
      Path keyPath = Path.of(relay.keyFile);
      CommandLine cmd = spec != null ? spec.commandLine() : new CommandLine(this);
      try {
        LoadedKey loaded = KeyFiles.load(keyPath, passphrase.source(cmd), passphrase.pqkyScryptN(cmd));
        IdCommand.warnIfPlaintext(cmd.getErr(), keyPath, loaded.format());
        key = loaded.key();
      } finally {
        passphrase.wipe();
      }
    }
    PinStore pins =
        relayConfig.identityMode() == IdentityMode.PINNED
            ? new FilePinStore(Path.of(relay.pinsFile), Map.of())
            : new InMemoryPinStore();
    RelayEngine relayEngine = shared.redis().isPresent()
        ? new RelayEngine(relayConfig, Clock.systemUTC(), key, pins,
            shared.relayCluster(relayConfig.replayCapacity()))
        : new RelayEngine(relayConfig, Clock.systemUTC(), key, pins);
    if (serverAudit != null && serverAudit.recorder().enabled(AuditRecorder.Kind.RELAY)) {
      relayEngine.observe(serverAudit.relayTap(auditRelayQueue));
    }
    return RelayListener.start(relay.bind, relay.port, relayEngine, 0, relay.tls());
  }

  private boolean isReferenceProfile() {
    return "reference".equals(profile);
  }

  ServerConfig toConfig() {
    SessionConfig.Builder b =
        switch (profile) {
          case "default" -> SessionConfig.builder();
          case "reference" -> SessionConfig.builder().referenceProfile();
          default -> throw new picocli.CommandLine.ParameterException(
              new picocli.CommandLine(this), "--profile must be default or reference");
        };
    b.prefix(prefix)
        .wsPrefix(wsPrefix)
        .ttl(Duration.ofSeconds(ttl))
        .rateLimitPerMinute(rateLimit)
        .maxBodyBytes(maxBody)
        .maxLiveSessions(maxSessions)
        .allowedOrigins(allowedOrigins == null ? List.of() : allowedOrigins.stream().filter(s -> !s.isBlank()).toList())
        .createKey(Optional.ofNullable(System.getenv(createKeyEnv)).filter(s -> !s.isBlank()));
    return new ServerConfig(
        host, port, Optional.ofNullable(publicUrl).filter(s -> !s.isBlank()), b.build(),
        maxConnections, !noDemo);
  }
}
