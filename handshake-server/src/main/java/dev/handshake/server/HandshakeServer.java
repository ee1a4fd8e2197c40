package dev.handshake.server;

import dev.handshake.audit.AuditLedger;
import dev.handshake.audit.AuditRecorder;
import dev.handshake.server.http.HttpChannelInitializer;
import dev.handshake.session.SessionEngine;
import dev.handshake.session.http.HppHttpApi;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty server: one event-loop group serving HTTP and the session WebSockets on one port.
 *
 * <pre>{@code
 * try (HandshakeServer server = HandshakeServer.start(ServerConfig.defaults(), engine)) {
 *   System.out.println(server.baseUri());
 * }
 * }</pre>
 */
public final class HandshakeServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HandshakeServer.class);
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel channel;
  private final SessionEngine engine;
  private final @Nullable ServerAudit audit;
  private final @Nullable ServerDelegation delegation;
  private @Nullable ServerPairing pairing;

  private HandshakeServer(
      EventLoopGroup boss,
      EventLoopGroup workers,
      Channel channel,
      SessionEngine engine,
      @Nullable ServerAudit audit,
      @Nullable ServerDelegation delegation) {
    this.boss = boss;
    this.workers = workers;
    this.channel = channel;
    this.engine = engine;
    this.audit = audit;
    this.delegation = delegation;
  }

  /** Binds and starts serving without an audit log; the engine's sweeper is started too. */
  public static HandshakeServer start(ServerConfig config, SessionEngine engine)
      throws InterruptedException {
    return start(config, engine, null);
  }

  /**
   * Binds and starts serving; with {@code audit}, also the read-only {@code /v1/audit/*}
   * endpoints. The server owns {@code audit} from now on and closes it (also when start fails).
   */
  public static HandshakeServer start(
      ServerConfig config, SessionEngine engine, @Nullable ServerAudit audit)
      throws InterruptedException {
    return start(config, engine, audit, null);
  }

  /**
   * Binds and starts serving; with {@code audit}, also the read-only {@code /v1/audit/*}
   * endpoints, with {@code delegation} the {@code /delegation/*} endpoints. The server owns both
   * from now on and closes them (also when start fails).
   */
  public static HandshakeServer start(
      ServerConfig config,
      SessionEngine engine,
      @Nullable ServerAudit audit,
      @Nullable ServerDelegation delegation)
      throws InterruptedException {
    return start(config, engine, audit, delegation, null);
  }

  /**
   * As {@link #start(ServerConfig, SessionEngine, ServerAudit, ServerDelegation)}, with {@code
   * pairing} also the {@code /v1/pairing/*} admin endpoints; the server owns it too.
   */
  public static HandshakeServer start(
      ServerConfig config,
      SessionEngine engine,
      @Nullable ServerAudit audit,
      @Nullable ServerDelegation delegation,
      @Nullable ServerPairing pairing)
      throws InterruptedException {
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
    try {
      HppHttpApi api = new HppHttpApi(engine, config.publicBaseUrl());
      ServerBootstrap b =
          new ServerBootstrap()
              .group(boss, workers)
              .channel(NioServerSocketChannel.class)
              .option(ChannelOption.SO_BACKLOG, 1024)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childHandler(
                  new HttpChannelInitializer(
                      config,
                      api,
                      audit == null ? null : audit.http(),
                      delegation == null ? null : delegation.http(),
                      pairing == null ? java.util.List.of() : pairing.routes(),
                      pairing == null ? null : pairing.eventFeed()));
      Channel ch = b.bind(config.host(), config.port()).sync().channel();
      engine.start();
      HandshakeServer server = new HandshakeServer(boss, workers, ch, engine, audit, delegation);
      server.pairing = pairing;
      LOG.info("handshake listening on {} ({})", server.baseUri(), config.describe());
      return server;
    } catch (InterruptedException | RuntimeException e) {
      boss.shutdownGracefully();
      workers.shutdownGracefully();
      if (pairing != null) {
        pairing.close();
      }
      if (delegation != null) {
        delegation.close();
      }
      if (audit != null) {
        audit.close();
      }
      throw e;
    }
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  public URI baseUri() {
    InetSocketAddress a = (InetSocketAddress) channel.localAddress();
    String host = a.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + a.getPort());
  }

  public SessionEngine engine() {
    return engine;
  }

  /** The audit log, ledger and recorder, when the server was started with one. */
  public Optional<ServerAudit> audit() {
    return Optional.ofNullable(audit);
  }

  public Optional<AuditLedger> auditLedger() {
    return audit().map(ServerAudit::ledger);
  }

  public Optional<AuditRecorder> auditRecorder() {
    return audit().map(ServerAudit::recorder);
  }

  /** The delegation receiver, when the server was started with one. */
  public Optional<ServerDelegation> delegation() {
    return Optional.ofNullable(delegation);
  }

  /** Pairing, when the server was started with it. */
  public Optional<ServerPairing> pairing() {
    return Optional.ofNullable(pairing);
  }

  /** Blocks until the server channel closes. */
  public void awaitClose() throws InterruptedException {
    channel.closeFuture().sync();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    engine.close();
    boss.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    if (pairing != null) {
      pairing.close();
    }
    if (delegation != null) {
      delegation.close();
    }
    if (audit != null) {
      audit.close();
    }
  }
}
