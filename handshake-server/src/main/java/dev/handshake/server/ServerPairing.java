package dev.handshake.server;

import dev.handshake.audit.AuditRecorder;
import dev.handshake.delegation.InMemoryReplayStore;
import dev.handshake.delegation.ReplayStore;
import dev.handshake.pairing.PairingConfig;
import dev.handshake.pairing.PairingStore;
import dev.handshake.pairing.PairingStores;
import dev.handshake.pairing.Pepper;
import dev.handshake.pairing.auth.OperatorTokens;
import dev.handshake.pairing.auth.ReloadingOperatorTokens;
import dev.handshake.pairing.device.DevicePairing;
import dev.handshake.pairing.device.DevicePairingConfig;
import dev.handshake.pairing.device.DeviceStore;
import dev.handshake.pairing.device.DeviceStores;
import dev.handshake.pairing.device.InMemoryChallengeStore;
import dev.handshake.pairing.dpop.DpopConfig;
import dev.handshake.pairing.dpop.DpopNonces;
import dev.handshake.pairing.dpop.DpopVerifier;
import dev.handshake.pairing.flow.AccessTokenConfig;
import dev.handshake.pairing.flow.AccessTokenStore;
import dev.handshake.pairing.flow.AccessTokens;
import dev.handshake.pairing.flow.DeviceFlow;
import dev.handshake.pairing.flow.DeviceFlowConfig;
import dev.handshake.pairing.flow.DeviceFlowStore;
import dev.handshake.pairing.flow.FlowStores;
import dev.handshake.pairing.http.DeviceFlowHttpApi;
import dev.handshake.pairing.http.DeviceHttpApi;
import dev.handshake.pairing.http.PairingEventFeed;
import dev.handshake.pairing.http.PairingHttpApi;
import dev.handshake.server.http.ExtraRoutes;
import dev.handshake.session.HppResponse;
import dev.handshake.session.http.HttpApiRequest;
import dev.handshake.store.sqlite.SqliteStores;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's pairing: the SQLite stores in the data folder (channel requests and grants in
 * {@code pairing.db}, shared with the {@code handshake pair} CLI; devices in {@code
 * pairing-devices.db}, shared with {@code handshake devices}; device flows and access tokens in
 * {@code pairing-flow.db}), the pepper they hash secrets with ({@value #PEPPER_FILE}), the
 * operator tokens that guard the admin APIs, and the HTTP routes over them.
 */
public final class ServerPairing implements AutoCloseable {
  public static final String PEPPER_FILE = "pairing.pepper";
  /** How often operator tokens are re-checked and events pushed to operator sockets. */
  static final long FEED_PERIOD_MS = 500;
  /** Operator event sockets at most. */
  static final int MAX_FEED_SOCKETS = 64;
  /** Unexpired DPoP proofs remembered against replay (a minute's worth at ~1,600 proofs/s). */
  static final int DPOP_REPLAY_MAX = 100_000;
  private static final Logger LOG = LoggerFactory.getLogger(ServerPairing.class);

  private final PairingStore store;
  private final DeviceStore devices;
  private final DeviceFlowStore flows;
  private final AccessTokenStore tokenStore;
  private final AccessTokens accessTokens;
  private final OperatorTokens operators;
  private final ReloadingOperatorTokens liveOperators;
  private final PairingEventFeed feed;
  private final java.util.concurrent.ScheduledExecutorService timer;
  private final List<ExtraRoutes> routes = new ArrayList<>();
  private @Nullable PairingAuditForwarder forwarder;

  private ServerPairing(PairingStore store, DeviceStore devices, DeviceFlowStore flows,
      AccessTokenStore tokenStore, AccessTokens accessTokens, OperatorTokens operators,
      ReloadingOperatorTokens liveOperators, PairingEventFeed feed, List<ExtraRoutes> routes) {
    this.store = store;
    this.devices = devices;
    this.flows = flows;
    this.tokenStore = tokenStore;
    this.accessTokens = accessTokens;
    this.operators = operators;
    this.liveOperators = liveOperators;
    this.feed = feed;
    this.routes.addAll(routes);
    this.timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "pairing-feed");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::tick, FEED_PERIOD_MS, FEED_PERIOD_MS,
        java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** Operator tokens re-read when their files change; events pushed to operator sockets. */
  private void tick() {
    try {
      liveOperators.reloadIfChanged();
      feed.pump(liveOperators::stillValid);
    } catch (RuntimeException e) {
      LOG.warn("pairing event feed: {}", e.toString());
    }
  }

  /** Opens the pepper and the channel store of {@code dataDir}; shared by the server and the CLI. */
  public static PairingStore openStore(Path dataDir, PairingConfig config, Clock clock)
      throws IOException {
    return openStore(dataDir, config, SharedState.embedded(), clock);
  }

  /**
   * As above, in PostgreSQL or Redis when {@code shared} has them ({@code pair --db}, {@code
   * --redis}), after checking that the pepper is the other nodes' ({@link
   * SharedState#checkPepper}).
   */
  public static PairingStore openStore(Path dataDir, PairingConfig config, SharedState shared,
      Clock clock) throws IOException {
    return shared.pairingStore(dataDir, config, pepper(dataDir, shared), clock);
  }

  /** Opens the pepper and the device store of {@code dataDir}; shared by the server and the CLI. */
  public static DeviceStore openDeviceStore(Path dataDir, DevicePairingConfig config, Clock clock)
      throws IOException {
    return openDeviceStore(dataDir, config, SharedState.embedded(), clock);
  }

  /**
   * As above, in PostgreSQL or Redis when {@code shared} has them ({@code devices --db}, {@code
   * --redis}), after checking the pepper as {@link #openStore} does.
   */
  public static DeviceStore openDeviceStore(Path dataDir, DevicePairingConfig config,
      SharedState shared, Clock clock) throws IOException {
    return shared.deviceStore(dataDir, config, pepper(dataDir, shared), clock);
  }

  /**
   * The pepper of {@code dataDir} (created on first use), refused when the nodes sharing pairing
   * in {@code shared} hash with another one: a node must not start on a pepper that would find
   * none of their codes and tokens.
   */
  private static Pepper pepper(Path dataDir, SharedState shared) throws IOException {
    Path file = dataDir.resolve(PEPPER_FILE);
    Pepper pepper = Pepper.loadOrCreate(file, new SecureRandom());
    shared.checkPepper(pepper, file);
    return pepper;
  }

  /**
   * Opens pairing for a server bound to {@code host}: beyond loopback the operator token must
   * already exist and be strong (pairing.md §4 item 16).
   *
   * @throws IOException when a store cannot be opened or the operator token is missing or weak
   */
  public static ServerPairing open(
      Path dataDir,
      String host,
      PairingConfig config,
      PairingHttpApi.Settings settings,
      Optional<String> operatorTokenEnv,
      Clock clock)
      throws IOException {
    return open(dataDir, host, config, settings, operatorTokenEnv, Optional.empty(), java.util.Set.of(), clock);
  }

  /**
   * As above, with the server's public URL for the device flow's {@code verification_uri} and
   * the browser origins (besides the server's own) allowed on the operator event socket.
   */
  public static ServerPairing open(
      Path dataDir,
      String host,
      PairingConfig config,
      PairingHttpApi.Settings settings,
      Optional<String> operatorTokenEnv,
      Optional<String> publicUrl,
      java.util.Set<String> allowedOrigins,
      Clock clock)
      throws IOException {
    return open(dataDir, host, config, settings, operatorTokenEnv, publicUrl, allowedOrigins,
        DpopConfig.defaults(), SharedState.embedded(), clock);
  }

  /**
   * As above, with DPoP settings (RFC 9449; docs/PAIRING.md "DPoP"). Without configured origins
   * the public URL, when given, is the one origin proofs' {@code htu} must name.
   */
  public static ServerPairing open(
      Path dataDir,
      String host,
      PairingConfig config,
      PairingHttpApi.Settings settings,
      Optional<String> operatorTokenEnv,
      Optional<String> publicUrl,
      java.util.Set<String> allowedOrigins,
      DpopConfig dpopConfig,
      SharedState shared,
      Clock clock)
      throws IOException {
    DpopConfig dpop = dpopConfig.origins().isEmpty() && publicUrl.isPresent()
        ? dpopConfig.withOrigins(List.of(origin(publicUrl.get())))
        : dpopConfig;
    OperatorTokens operators = isLoopback(host)
        ? OperatorTokens.forLoopback(dataDir, operatorTokenEnv, new SecureRandom())
        : OperatorTokens.forExternalBind(dataDir, operatorTokenEnv);
    ReloadingOperatorTokens live = new ReloadingOperatorTokens(dataDir, operatorTokenEnv, operators);
    Pepper pepper = pepper(dataDir, shared);
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      PairingStore store = add(opened, shared.pairingStore(dataDir, config, pepper, clock));
      DeviceStore devices = add(opened,
          shared.deviceStore(dataDir, DevicePairingConfig.defaults(), pepper, clock));
      DeviceFlowStore flows = add(opened, shared.flowStore(dataDir));
      AccessTokenStore tokenStore = add(opened, shared.tokenStore(dataDir));
      SecureRandom random = new SecureRandom();
      // DPoP proofs' jti: in memory on one node, in Redis or PostgreSQL when nodes share state
      ReplayStore dpopReplay = add(opened,
          shared.replayStore("dpop", () -> new InMemoryReplayStore(DPOP_REPLAY_MAX)));
      AccessTokens tokens = AccessTokens.create(store, tokenStore, AccessTokenConfig.defaults(),
          pepper, clock, random, DpopVerifier.create(dpop, dpopReplay,
              DpopNonces.create(pepper, clock, dpop), clock));
      DeviceFlow flow = DeviceFlow.create(store, flows, tokens,
          DeviceFlowConfig.of(URI.create(publicUrl.orElse("http://127.0.0.1") + "/device")),
          pepper, clock, random);
      DeviceFlowHttpApi flowHttp = new DeviceFlowHttpApi(flow, tokens, publicUrl);
      PairingHttpApi http = new PairingHttpApi(store, live, settings, clock);
      DevicePairing devicePairing = DevicePairing.create(devices,
          InMemoryChallengeStore.create(devices.config(), clock, random), clock);
      DeviceHttpApi deviceHttp =
          new DeviceHttpApi(devicePairing, live, DeviceHttpApi.Settings.DEFAULTS, clock);
      PairingEventFeed feed = new PairingEventFeed(store, live, allowedOrigins, MAX_FEED_SOCKETS);
      LOG.info("pairing: stores {}, {} operator tokens", shared.sharedPairing()
          .map(where -> "in " + where)
          .orElse("in " + dataDir + " (" + SqliteStores.PAIRING_FILE + ", "
              + SqliteStores.DEVICES_FILE + ", " + SqliteStores.FLOWS_FILE + ")"),
          operators.entries().size());
      return new ServerPairing(store, devices, flows, tokenStore, tokens, operators, live, feed, List.of(
          // The flow first: /v1/pairing/whoami lies under the admin API's prefix.
          adapt(flowHttp::handles, flowHttp::handle),
          adapt(http::handles, http::handle),
          adapt(deviceHttp::handles, deviceHttp::handle)));
    } catch (IOException | RuntimeException e) {
      for (int i = opened.size() - 1; i >= 0; i--) {
        closeQuietly(opened.get(i));
      }
      throw e;
    }
  }

  /** {@code scheme://authority} of a URL such as {@code --public-url}. */
  static String origin(String url) {
    URI u = URI.create(url);
    return u.getScheme() + "://" + u.getRawAuthority();
  }

  private static <T extends AutoCloseable> T add(List<AutoCloseable> opened, T resource) {
    opened.add(resource);
    return resource;
  }

  /** Whether {@code host} names only this machine (a loopback address or {@code localhost}). */
  public static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (IOException e) {
      return false;
    }
  }

  private static ExtraRoutes adapt(Predicate<String> handles, Function<HttpApiRequest, HppResponse> handle) {
    return new ExtraRoutes() {
      @Override
      public boolean handles(String path) {
        return handles.test(path);
      }

      @Override
      public HppResponse handle(HttpApiRequest request) {
        return handle.apply(request);
      }
    };
  }

  /**
   * Copies every pairing event into the server's audit chain from now on (every 2 s, and once
   * more on close).
   */
  public void recordTo(AuditRecorder recorder, Path dataDir) throws IOException {
    if (forwarder == null) {
      forwarder = PairingAuditForwarder.start(store, recorder, dataDir, 2_000);
    }
  }

  /** The audit forwarder, when {@link #recordTo} was called. */
  public Optional<PairingAuditForwarder> auditForwarder() {
    return Optional.ofNullable(forwarder);
  }

  /** Access tokens of paired principals (device flow), for {@link PairedSessionGate}. */
  public AccessTokens accessTokens() {
    return accessTokens;
  }

  public PairingStore store() {
    return store;
  }

  /** The device pairing store ({@code pairing-devices.db}). */
  public DeviceStore devices() {
    return devices;
  }

  public OperatorTokens operators() {
    return operators;
  }

  /** Live events for operator sockets ({@link PairingEventFeed#PATH}). */
  public PairingEventFeed eventFeed() {
    return feed;
  }

  /** Pushes events and applies token changes now (tests; the timer does it every 500 ms). */
  public void tickNow() {
    tick();
  }

  /** The HTTP routes to mount. */
  public List<ExtraRoutes> routes() {
    return List.copyOf(routes);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.warn("closing {} failed: {}", c, e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    if (forwarder != null) {
      forwarder.close();
    }
    closeQuietly(flows);
    closeQuietly(tokenStore);
    closeQuietly(devices);
    store.close();
  }
}
