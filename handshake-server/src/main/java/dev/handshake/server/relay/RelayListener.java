package dev.handshake.server.relay;

import dev.handshake.relay.RelayEngine;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keep-protocol TCP listener: binds, runs one global heartbeat ticker (ticks at interval,
 * 2×interval, … after start, keep.md §2.8), closes connections whose writes stall, and on {@link
 * #close()} stops accepting, lets outbound queues drain for up to {@code shutdownDrain}, then
 * closes every connection (keep.md §3 item 14).
 *
 * <pre>{@code
 * try (RelayListener relay = RelayListener.start("127.0.0.1", 9009, engine)) {
 *   System.out.println(relay.port());
 * }
 * }</pre>
 */
public final class RelayListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RelayListener.class);
  private static final long STALL_SWEEP_MILLIS = 250;

  private final RelayEngine engine;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Set<NettyRelayPeer> peers = ConcurrentHashMap.newKeySet();
  private final @Nullable ExecutorService verifiers;
  private @Nullable Channel serverChannel;
  private @Nullable Channel tlsChannel;
  private @Nullable ScheduledFuture<?> heartbeat;
  private @Nullable ScheduledFuture<?> stallSweep;

  private RelayListener(RelayEngine engine, int workerThreads) {
    this.engine = engine;
    this.boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    this.workers = new MultiThreadIoEventLoopGroup(workerThreads, NioIoHandler.newFactory());
    int threads = engine.config().verifyThreads();
    this.verifiers = threads == 0 ? null : Executors.newFixedThreadPool(threads, verifierThreads());
  }

  private static ThreadFactory verifierThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "relay-verify-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Binds {@code host:port} (port 0 picks a free one) with Netty's default worker count. */
  public static RelayListener start(String host, int port, RelayEngine engine)
      throws InterruptedException {
    return start(host, port, engine, 0);
  }

  public static RelayListener start(String host, int port, RelayEngine engine, int workerThreads)
      throws InterruptedException {
    return start(host, port, engine, workerThreads, null);
  }

  /**
   * Also binds a TLS listener (keep.md §3 item 3, {@code keep.tls.bind}) with the same framing
   * inside TLS, when {@code tls} is given.
   */
  public static RelayListener start(
      String host, int port, RelayEngine engine, int workerThreads, @Nullable Tls tls)
      throws InterruptedException {
    RelayListener listener = new RelayListener(engine, workerThreads);
    try {
      listener.bind(host, port, tls);
      return listener;
    } catch (InterruptedException | RuntimeException e) {
      listener.shutdownGroups();
      throw e;
    }
  }

  /** Where the TLS listener binds and the server certificate it presents. */
  public record Tls(String host, int port, SslContext context) {}

  private void bind(String host, int port, @Nullable Tls tls) throws InterruptedException {
    serverChannel = bootstrap(null).bind(host, port).sync().channel();
    if (tls != null) {
      tlsChannel = bootstrap(tls.context()).bind(tls.host(), tls.port()).sync().channel();
      log.info("keep relay TLS listening on {}", tlsChannel.localAddress());
    }
    startTimers();
    log.info("keep relay {} listening on {}", engine.config().versionString(), serverChannel.localAddress());
  }

  private ServerBootstrap bootstrap(@Nullable SslContext ssl) {
    var config = engine.config();
    return new ServerBootstrap()
            .group(boss, workers)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .handler(new AcceptBackoff(5, 1000))
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (ssl != null) {
                      ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
                    }
                    ch.pipeline()
                        .addLast("flush", new FlushConsolidationHandler(256, true))
                        .addLast("frames", new FrameDecoder(config.firstFrameTimeout(), config.frameTimeout()))
                        .addLast("relay", new RelayHandler(engine, RelayListener.this, verifiers, config.maxInFlightPerConnection()));
                  }
                });
  }

  private void startTimers() {
    var config = engine.config();
    Duration interval = config.heartbeatInterval();
    if (!interval.isZero()) {
      heartbeat =
          workers.next().scheduleAtFixedRate(
              this::safeHeartbeat, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }
    long timeoutNanos = config.writeTimeout().toNanos();
    stallSweep =
        workers.next().scheduleAtFixedRate(
            () -> {
              long now = System.nanoTime();
              peers.forEach(p -> p.closeIfStalled(now, timeoutNanos));
            },
            STALL_SWEEP_MILLIS, STALL_SWEEP_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void safeHeartbeat() {
    try {
      engine.heartbeat();
    } catch (RuntimeException e) {
      log.warn("Heartbeat round failed", e);
    }
  }

  void track(NettyRelayPeer peer) {
    peers.add(peer);
  }

  void untrack(NettyRelayPeer peer) {
    peers.remove(peer);
  }

  public int port() {
    return ((InetSocketAddress) serverChannel().localAddress()).getPort();
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) serverChannel().localAddress();
  }

  public RelayEngine engine() {
    return engine;
  }

  /** Open connections right now. */
  public int connectionCount() {
    return peers.size();
  }

  /** The TLS listener's address, when one was started. */
  public Optional<InetSocketAddress> tlsAddress() {
    return Optional.ofNullable(tlsChannel).map(c -> (InetSocketAddress) c.localAddress());
  }

  private Channel serverChannel() {
    if (serverChannel == null) {
      throw new IllegalStateException("not bound");
    }
    return serverChannel;
  }

  @Override
  public void close() {
    if (serverChannel != null) {
      serverChannel.close().syncUninterruptibly();
    }
    if (tlsChannel != null) {
      tlsChannel.close().syncUninterruptibly();
    }
    if (heartbeat != null) {
      heartbeat.cancel(false);
    }
    if (stallSweep != null) {
      stallSweep.cancel(false);
    }
    long deadline = System.nanoTime() + engine.config().shutdownDrain().toNanos();
    while (System.nanoTime() < deadline && peers.stream().anyMatch(p -> p.pendingFrames() > 0)) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    peers.forEach(p -> p.channel().close());
    shutdownGroups();
    log.info("keep relay stopped");
  }

  private void shutdownGroups() {
    if (verifiers != null) {
      verifiers.shutdown();
    }
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
