package dev.handshake.server;

import dev.handshake.pairing.PairingConfig;
import dev.handshake.pairing.PairingStore;
import dev.handshake.pairing.PairingStores;
import dev.handshake.pairing.Pepper;
import dev.handshake.pairing.auth.OperatorTokens;
import dev.handshake.pairing.http.PairingHttpApi;
import dev.handshake.server.http.ExtraRoutes;
import dev.handshake.session.HppResponse;
import dev.handshake.session.http.HttpApiRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's pairing: the SQLite {@link PairingStore} in the data folder (shared with the {@code
 * handshake pair} CLI), the pepper it hashes codes with ({@value #PEPPER_FILE}), the operator
 * tokens that guard the admin API, and the API's routes.
 */
public final class ServerPairing implements AutoCloseable {
  public static final String PEPPER_FILE = "pairing.pepper";
  private static final Logger LOG = LoggerFactory.getLogger(ServerPairing.class);

  private final PairingStore store;
  private final OperatorTokens operators;
  private final List<ExtraRoutes> routes = new ArrayList<>();
  private @org.jspecify.annotations.Nullable PairingAuditForwarder forwarder;

  private final dev.handshake.pairing.flow.DeviceFlowStore flows;
  private final dev.handshake.pairing.flow.AccessTokenStore tokenStore;
  private final dev.handshake.pairing.flow.AccessTokens accessTokens;

  private ServerPairing(PairingStore store, OperatorTokens operators, PairingHttpApi http,
      dev.handshake.pairing.flow.DeviceFlowStore flows,
      dev.handshake.pairing.flow.AccessTokenStore tokenStore,
      dev.handshake.pairing.flow.AccessTokens accessTokens,
      dev.handshake.pairing.http.DeviceFlowHttpApi flowHttp) {
    this.store = store;
    this.operators = operators;
    this.flows = flows;
    this.tokenStore = tokenStore;
    this.accessTokens = accessTokens;
    // The flow first: /v1/pairing/whoami lies under the admin API's prefix.
    routes.add(new ExtraRoutes() {
      @Override
      public boolean handles(String path) {
        return flowHttp.handles(path);
      }

      @Override
      public HppResponse handle(HttpApiRequest request) {
        return flowHttp.handle(request);
      }
    });
    routes.add(adapt(http));
  }

  /** Opens the pepper and the store of {@code dataDir}; shared by the server and the CLI. */
  public static PairingStore openStore(Path dataDir, PairingConfig config, Clock clock)
      throws IOException {
    return PairingStores.sqlite(dataDir, config, pepper(dataDir), clock);
  }

  private static Pepper pepper(Path dataDir) throws IOException {
    return Pepper.loadOrCreate(dataDir.resolve(PEPPER_FILE), new SecureRandom());
  }

  /**
   * Opens pairing for a server bound to {@code host}: beyond loopback the operator token must
   * already exist and be strong (pairing.md §4 item 16).
   *
   * @throws IOException when the store cannot be opened or the operator token is missing or weak
   */
  public static ServerPairing open(
      Path dataDir,
      String host,
      PairingConfig config,
      PairingHttpApi.Settings settings,
      Optional<String> operatorTokenEnv,
      Clock clock)
      throws IOException {
    return open(dataDir, host, config, settings, operatorTokenEnv, Optional.empty(), clock);
  }

  /**
   * As above, with the server's public URL for the device flow's {@code verification_uri}.
   */
  public static ServerPairing open(
      Path dataDir,
      String host,
      PairingConfig config,
      PairingHttpApi.Settings settings,
      Optional<String> operatorTokenEnv,
      Optional<String> publicUrl,
      Clock clock)
      throws IOException {
    OperatorTokens operators = isLoopback(host)
        ? OperatorTokens.forLoopback(dataDir, operatorTokenEnv, new SecureRandom())
        : OperatorTokens.forExternalBind(dataDir, operatorTokenEnv);
    Pepper pepper = pepper(dataDir);
    PairingStore store = PairingStores.sqlite(dataDir, config, pepper, clock);
    dev.handshake.pairing.flow.DeviceFlowStore flows;
    dev.handshake.pairing.flow.AccessTokenStore tokenStore;
    try {
      flows = dev.handshake.pairing.flow.FlowStores.sqliteFlows(dataDir);
      tokenStore = dev.handshake.pairing.flow.FlowStores.sqliteTokens(dataDir);
    } catch (IOException | RuntimeException e) {
      store.close();
      throw e;
    }
    SecureRandom random = new SecureRandom();
    dev.handshake.pairing.flow.AccessTokens tokens = dev.handshake.pairing.flow.AccessTokens.create(
        store, tokenStore, dev.handshake.pairing.flow.AccessTokenConfig.defaults(), pepper, clock, random);
    dev.handshake.pairing.flow.DeviceFlow flow = dev.handshake.pairing.flow.DeviceFlow.create(store,
        flows, tokens, dev.handshake.pairing.flow.DeviceFlowConfig.of(
            java.net.URI.create(publicUrl.orElse("http://127.0.0.1") + "/device")),
        pepper, clock, random);
    LOG.info("pairing: store {}/{}, {} operator tokens", dataDir, PairingStores.sqliteFileName(),
        operators.entries().size());
    return new ServerPairing(store, operators, new PairingHttpApi(store, operators, settings, clock),
        flows, tokenStore, tokens,
        new dev.handshake.pairing.http.DeviceFlowHttpApi(flow, tokens, publicUrl));
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

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.warn("closing {} failed: {}", c, e.toString());
    }
  }

  private static ExtraRoutes adapt(PairingHttpApi http) {
    return new ExtraRoutes() {
      @Override
      public boolean handles(String path) {
        return http.handles(path);
      }

      @Override
      public HppResponse handle(HttpApiRequest request) {
        return http.handle(request);
      }
    };
  }

  /**
   * Copies every pairing event into the server's audit chain from now on (every 2 s, and once
   * more on close).
   */
  public void recordTo(dev.handshake.audit.AuditRecorder recorder, Path dataDir) throws IOException {
    if (forwarder == null) {
      forwarder = PairingAuditForwarder.start(store, recorder, dataDir, 2_000);
    }
  }

  /** The audit forwarder, when {@link #recordTo} was called. */
  public Optional<PairingAuditForwarder> auditForwarder() {
    return Optional.ofNullable(forwarder);
  }

  /** Access tokens of paired principals (device flow), for {@link PairedSessionGate}. */
  public dev.handshake.pairing.flow.AccessTokens accessTokens() {
    return accessTokens;
  }

  public PairingStore store() {
    return store;
  }

  public OperatorTokens operators() {
    return operators;
  }

  /** The HTTP routes to mount. */
  public List<ExtraRoutes> routes() {
    return List.copyOf(routes);
  }

  @Override
  public void close() {
    if (forwarder != null) {
      forwarder.close();
    }
    closeQuietly(flows);
    closeQuietly(tokenStore);
    store.close();
  }
}
