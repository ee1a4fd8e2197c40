package dev.handshake.bench;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.relay.InMemoryPinStore;
import dev.handshake.relay.InMemoryRelayBus;
import dev.handshake.relay.KeepPackets;
import dev.handshake.relay.RelayCluster;
import dev.handshake.relay.RelayConfig;
import dev.handshake.relay.RelayEngine;
import dev.handshake.relay.RelayStats;
import dev.handshake.relay.proto.Packet;
import dev.handshake.server.SharedState;
import dev.handshake.server.relay.RelayListener;
import dev.handshake.store.redis.EmbeddedRedis;
import dev.handshake.store.redis.RedisConnection;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * Relay routing on one node with the in-memory router, on one node routing through Redis, and
 * across two nodes on one Redis (issue 7 "one node vs two nodes on Redis for relay routing"):
 * signed keep packets per second delivered end to end, sender agent → relay → receiving agent,
 * counted by the receiving agents.
 *
 * <p>Everything runs over real TCP: each node is a {@link RelayListener} on {@code 127.0.0.1:0},
 * and the agents are blocking keep sockets (a writer and a reader thread per sender, a reader per
 * receiver) in this JVM. The Redis nodes are built the way {@code handshake serve --redis} builds
 * them ({@link SharedState#relayCluster}: a {@code RedisRelayRouter} with a random node id and the
 * relay's replay memory shared in Redis), each node with its own connection; the in-memory node
 * uses an {@link InMemoryRelayBus} with one member. The three scenarios:
 *
 * <ol type="a">
 *   <li>one node, in-memory router, senders and receivers on it (the baseline; on this path the
 *       router is never asked, as with no router at all);
 *   <li>one node on Redis, senders and receivers on it (a local forward, plus the shared replay
 *       check every forward makes);
 *   <li>two nodes on Redis, senders on node A, receivers on node B (the replay check, then the
 *       router's send script and pub/sub to B).
 * </ol>
 *
 * <p>{@code pairs} sender→receiver pairs with {@value #WINDOW} packets in flight each: a receiver
 * frees its sender's window as packets arrive (a forward gets no reply unless it fails; a failure
 * reply frees it too and is counted as an error). Every packet is the typical 165-byte keep packet
 * with a unique id, pre-signed before each block, so no replay cache sees a replay and signing is
 * not measured. Node limits are the defaults of {@code serve} except the frame-rate and outbound
 * queue limits, raised as in {@link RelayLoad}. Each round runs the three scenarios one block each,
 * in the order a b c, then c b a in the next round; the first {@value #WARMUP_ROUNDS} rounds are
 * warm-up. Reported: the median rate of each scenario, and the medians (with p10 and p90) of the
 * per-round ratios b/a and c/b, so each ratio compares blocks seconds apart on the same machine.
 *
 * <p>Run: {@code java -cp handshake-bench/target/benchmarks.jar
 * dev.handshake.bench.RelayNodesBench [rounds] [pairs] [block ms] [redis://url]}. Without a URL it
 * starts {@code redis-server} from {@code PATH} on a free loopback port (no persistence) and stops it
 * at the end; it then shares the machine's cores with the relays and the agents, as a Redis on the
 * same host would. With the embedded server it also reads Redis' {@code INFO} around each block to
 * count scripts and Redis CPU per delivered packet.
 */
public final class RelayNodesBench {
  private static final int WINDOW = 256;
  private static final int WARMUP_ROUNDS = 2;
  private static final int PACKET_BYTES = KeepFixtures.TYPICAL_PACKET_BYTES;
  private static final long DRAIN_NANOS = 5_000_000_000L;
  /** Packets/s assumed before a scenario was measured, to size its first pools (RelayLoad peak). */
  private static final double FIRST_ESTIMATE = 30_000;

  private RelayNodesBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    long blockMillis = args.length > 2 ? Long.parseLong(args[2]) : 2000;
    Optional<String> url = args.length > 3 ? Optional.of(args[3]) : Optional.empty();
    if (rounds < 1 || pairs < 1 || pairs > 100 || blockMillis < 200) {
      throw new IllegalArgumentException(
          "usage: RelayNodesBench [rounds ≥ 1] [pairs 1..100] [block ms ≥ 200] [redis://url]");
    }
    @Nullable EmbeddedRedis server = url.isEmpty() ? EmbeddedRedis.startOnFreePort() : null;
    String redisUrl = server != null ? server.url() : url.orElseThrow();
    RelayConfig config =
        RelayConfig.builder()
            .connectionFramesPerSecond(10_000_000)
            .addressFramesPerSecond(10_000_000)
            .outboundQueueFrames(1_000_000)
            .outboundQueueBytes(1L << 30)
            .maxConnectionsPerAddress(1_000)
            .build();
    List<AutoCloseable> resources = new ArrayList<>();
    try {
      SharedState sharedA = add(resources, SharedState.open(Optional.of(redisUrl), Optional.empty()));
      SharedState sharedB = add(resources, SharedState.open(Optional.of(redisUrl), Optional.empty()));
      RelayListener memory =
          add(
              resources,
              RelayListener.start(
                  "127.0.0.1",
                  0,
                  new RelayEngine(
                      config,
                      Clock.systemUTC(),
                      null,
                      new InMemoryPinStore(),
                      RelayCluster.routing(InMemoryRelayBus.create().join("memory")))));
      RelayListener nodeA = add(resources, redisNode(config, sharedA));
      RelayListener nodeB = add(resources, redisNode(config, sharedB));
      Optional<RedisInfo> info = RedisInfo.of(server, redisUrl);
      System.out.printf(
          "cores %d, JDK %s, Redis %s, %d rounds (+%d warm-up) of 3 blocks of %d ms, %d pairs ×"
              + " %d in flight, load average %s%n",
          Runtime.getRuntime().availableProcessors(),
          Runtime.version(),
          server == null ? redisUrl : "redis-server on 127.0.0.1:" + server.port(),
          rounds,
          WARMUP_ROUNDS,
          blockMillis,
          pairs,
          WINDOW,
          loadAverage());
      System.out.printf(
          "Redis round trip (PING through the node's Lettuce connection, median of 2,000): %.0f µs%n",
          pingMicros(sharedA.redis().orElseThrow()));

      String run =
          Long.toHexString(0x100000L + ThreadLocalRandom.current().nextLong(0xeffff)).substring(0, 5);
      Scenario[] scenarios = {
        add(resources, new Scenario('a', "memory router, 1 node", memory, memory, pairs, run)),
        add(resources, new Scenario('b', "Redis, 1 node", nodeA, nodeA, pairs, run)),
        add(resources, new Scenario('c', "Redis, 2 nodes (A → B)", nodeA, nodeB, pairs, run)),
      };
      for (Scenario s : scenarios) {
        s.connect();
      }
      double[][] rates = new double[3][rounds];
      for (int r = -WARMUP_ROUNDS; r < rounds; r++) {
        StringBuilder line =
            new StringBuilder(r < 0 ? "warm-up " + (r + WARMUP_ROUNDS + 1) : "round " + (r + 1));
        double[] rate = new double[3];
        for (int k = 0; k < 3; k++) {
          int i = (r & 1) == 0 ? k : 2 - k; // a b c, then c b a
          Block b = scenarios[i].block(blockMillis, info);
          rate[i] = b.rate();
          if (r >= 0) {
            scenarios[i].blocks.add(b);
            rates[i][r] = b.rate();
          }
        }
        for (int i = 0; i < 3; i++) {
          line.append(String.format(Locale.ROOT, "  %c %,8.0f/s", scenarios[i].code, rate[i]));
        }
        line.append(
            String.format(
                Locale.ROOT, "   b/a %.3f  c/b %.3f", rate[1] / rate[0], rate[2] / rate[1]));
        System.out.println(line);
      }
      report(scenarios, rates, info.isPresent());
      System.out.println("load average at the end: " + loadAverage());
    } finally {
      for (AutoCloseable r : resources.reversed()) {
        try {
          r.close();
        } catch (Exception e) {
          System.out.println("closing " + r + " failed: " + e);
        }
      }
      if (server != null) {
        server.close();
      }
    }
  }

  private static <T extends AutoCloseable> T add(List<AutoCloseable> resources, T r) {
    resources.add(r);
    return r;
  }

  /** One node as {@code handshake serve --redis} assembles its relay. */
  private static RelayListener redisNode(RelayConfig config, SharedState shared)
      throws InterruptedException {
    RelayEngine engine =
        new RelayEngine(
            config,
            Clock.systemUTC(),
            null,
            new InMemoryPinStore(),
            shared.relayCluster(config.replayCapacity()));
    return RelayListener.start("127.0.0.1", 0, engine);
  }

  private static double pingMicros(RedisConnection redis) {
    for (int i = 0; i < 2_000; i++) {
      redis.ping();
    }
    double[] t = new double[2_000];
    for (int i = 0; i < t.length; i++) {
      long start = System.nanoTime();
      redis.ping();
      t[i] = (System.nanoTime() - start) / 1e3;
    }
    return percentile(t, 0.5);
  }

  private static void report(Scenario[] scenarios, double[][] rates, boolean redisStats) {
    int rounds = rates[0].length;
    System.out.printf(
        "packets/s delivered end to end (median of %d rounds; p10–p90 of the rounds):%n", rounds);
    for (int i = 0; i < 3; i++) {
      System.out.printf(
          Locale.ROOT,
          "  (%c) %-24s %,10.0f/s  (%,.0f–%,.0f)%n",
          scenarios[i].code,
          scenarios[i].name,
          percentile(rates[i], 0.5),
          percentile(rates[i], 0.1),
          percentile(rates[i], 0.9));
    }
    System.out.println("ratios of the same round (median; p10, p90):");
    ratio("b/a  Redis 1 node / memory", rates[1], rates[0]);
    ratio("c/b  Redis 2 nodes / 1 node", rates[2], rates[1]);
    ratio("c/a  Redis 2 nodes / memory", rates[2], rates[0]);
    System.out.println(
        "per delivered packet (medians of the rounds): CPU of this JVM (relays + agents"
            + (redisStats ? " + Lettuce), Redis CPU, Redis scripts and commands" : " + Lettuce)")
            + "; whole machine busy:");
    for (Scenario s : scenarios) {
      double[] jvm = s.blocks.stream().mapToDouble(b -> b.jvmCpuNanos() / 1e3 / b.counted()).toArray();
      double[] busy = s.blocks.stream().mapToDouble(Block::machineBusy).toArray();
      StringBuilder line =
          new StringBuilder(
              String.format(Locale.ROOT, "  (%c) JVM %6.1f µs", s.code, percentile(jvm, 0.5)));
      if (redisStats) {
        double[] cpu = s.blocks.stream().mapToDouble(b -> b.redis().cpuMicros() / b.counted()).toArray();
        double[] scripts = s.blocks.stream().mapToDouble(b -> b.redis().scripts() / b.counted()).toArray();
        double[] commands =
            s.blocks.stream().mapToDouble(b -> b.redis().commands() / b.counted()).toArray();
        line.append(
            String.format(
                Locale.ROOT,
                "   Redis %5.1f µs, %.2f scripts, %.2f commands",
                percentile(cpu, 0.5),
                percentile(scripts, 0.5),
                percentile(commands, 0.5)));
      }
      line.append(String.format(Locale.ROOT, "   machine %3.0f %%", 100 * percentile(busy, 0.5)));
      System.out.println(line);
    }
    for (Scenario s : scenarios) {
      RelayStats in = s.receiverNode.engine().stats();
      RelayStats out = s.senderNode.engine().stats();
      long errors = s.blocks.stream().mapToLong(Block::errors).sum();
      long lost = s.blocks.stream().mapToLong(Block::lost).sum();
      long exhausted = s.blocks.stream().filter(Block::exhausted).count();
      System.out.printf(
          "  (%c) %s: errors %d, lost %d, blocks that ran out of signed packets %d%n",
          s.code, s.name, errors, lost, exhausted);
      if (s.code == 'c') {
        System.out.printf(
            "      node A routed out %,d, node B routed in %,d; delivery failed %d/%d, Redis"
                + " unavailable %d/%d, replays %d/%d%n",
            out.routedOut(),
            in.routedIn(),
            out.deliveryFailed(),
            in.deliveryFailed(),
            out.clusterUnavailable(),
            in.clusterUnavailable(),
            out.replays(),
            in.replays());
      }
    }
  }

  private static void ratio(String name, double[] subject, double[] baseline) {
    double[] r = new double[subject.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = subject[i] / baseline[i];
    }
    System.out.printf(
        Locale.ROOT,
        "  %-30s %.3f  (p10 %.3f, p90 %.3f)%n",
        name,
        percentile(r, 0.5),
        percentile(r, 0.1),
        percentile(r, 0.9));
  }

  // --- one scenario ------------------------------------------------------------------------------

  /** One measured block of a scenario. */
  private record Block(
      double rate,
      long counted,
      long jvmCpuNanos,
      double machineBusy,
      RedisInfo.Delta redis,
      long errors,
      long lost,
      boolean exhausted) {}

  /** The sender→receiver pairs of one scenario, their sockets and pre-signed packets. */
  private static final class Scenario implements AutoCloseable {
    final char code;
    final String name;
    final RelayListener senderNode;
    final RelayListener receiverNode;
    final List<Pair> pairs = new ArrayList<>();
    final List<Block> blocks = new ArrayList<>();
    volatile boolean stop;
    double estimate = FIRST_ESTIMATE;
    boolean measured;

    Scenario(
        char code,
        String name,
        RelayListener senderNode,
        RelayListener receiverNode,
        int pairCount,
        String run) {
      this.code = code;
      this.name = name;
      this.senderNode = senderNode;
      this.receiverNode = receiverNode;
      for (int i = 0; i < pairCount; i++) {
        // short names, so that the packet is the typical 165 bytes with a non-empty body
        pairs.add(
            new Pair(
                this,
                "bot:" + code + "s" + i,
                "bot:" + code + "r" + i,
                run + code + String.format(Locale.ROOT, "%02d", i) + "-"));
      }
    }

    /** Opens and registers every receiver, then every sender; starts the reader threads. */
    void connect() throws IOException {
      for (Pair p : pairs) {
        p.receiver = Agent.connect(receiverNode.port());
        p.receiver.register(p.receiverKey, p.dst, p.idPrefix + "r");
      }
      for (Pair p : pairs) {
        p.sender = Agent.connect(senderNode.port());
        p.sender.register(p.senderKey, p.src, p.idPrefix + "s");
      }
      for (Pair p : pairs) {
        p.startReaders();
      }
    }

    Block block(long blockMillis, Optional<RedisInfo> info) throws InterruptedException {
      long rampMillis = Math.min(300, blockMillis / 5);
      int perPair =
          (int)
              Math.min(
                  50_000_000,
                  Math.ceil(estimate * (blockMillis + rampMillis) / 1e3 * 2 / pairs.size())
                      + WINDOW
                      + 1_000);
      for (Pair p : pairs) {
        p.refill(perPair);
      }
      System.gc();
      stop = false;
      for (Pair p : pairs) {
        p.startWriter();
      }
      Thread.sleep(rampMillis);
      RedisInfo.Snapshot redis0 = info.map(RedisInfo::snapshot).orElse(RedisInfo.Snapshot.NONE);
      long[] machine0 = procStat();
      long cpu0 = processCpuNanos();
      long count0 = delivered();
      long t0 = System.nanoTime();
      Thread.sleep(blockMillis);
      long count1 = delivered();
      long t1 = System.nanoTime();
      long cpu1 = processCpuNanos();
      long[] machine1 = procStat();
      RedisInfo.Snapshot redis1 = info.map(RedisInfo::snapshot).orElse(RedisInfo.Snapshot.NONE);
      stop = true;
      for (Pair p : pairs) {
        p.writer.join(5_000);
      }
      long drainUntil = System.nanoTime() + DRAIN_NANOS;
      while (outstanding() > 0 && System.nanoTime() < drainUntil) {
        Thread.sleep(5);
      }
      long errors = 0;
      boolean exhausted = false;
      for (Pair p : pairs) {
        errors += p.errors.getAndSet(0);
        exhausted |= p.exhausted;
      }
      long lost = outstanding();
      for (Pair p : pairs) {
        // a lost packet is forgotten so the next block starts with an empty pipeline
        p.sent.addAndGet(-(p.sent.get() - p.delivered.get() - p.answered.get()));
      }
      long counted = count1 - count0;
      double rate = counted * 1e9 / (t1 - t0);
      // pools are sized from the best rate seen; the first guess only until a block measured one
      estimate = measured ? Math.max(estimate, rate) : Math.max(rate, 1_000);
      measured = true;
      if (errors > 0 || lost > 0 || exhausted) {
        System.out.printf(
            "  (%c) block: errors %d, lost %d%s%n",
            code, errors, lost, exhausted ? ", ran out of signed packets" : "");
      }
      return new Block(
          rate,
          Math.max(counted, 1),
          cpu1 - cpu0,
          busyFraction(machine0, machine1),
          redis1.minus(redis0),
          errors,
          lost,
          exhausted);
    }

    long delivered() {
      long n = 0;
      for (Pair p : pairs) {
        n += p.delivered.get();
      }
      return n;
    }

    long outstanding() {
      long n = 0;
      for (Pair p : pairs) {
        n += p.sent.get() - p.delivered.get() - p.answered.get();
      }
      return n;
    }

    @Override
    public void close() throws InterruptedException {
      stop = true;
      for (Pair p : pairs) {
        p.close();
      }
    }

    @Override
    public String toString() {
      return "scenario " + code;
    }
  }

  /** One sender agent and the receiver it sends to, with its pre-signed frames. */
  private static final class Pair {
    final Scenario scenario;
    final String src;
    final String dst;
    final String idPrefix;
    final Ed25519PrivateKey senderKey = KeepFixtures.randomKey();
    final Ed25519PrivateKey receiverKey = KeepFixtures.randomKey();
    final String body;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong delivered = new AtomicLong();
    /** Forwards answered by the relay (a failure: a forward that arrives gets no reply). */
    final AtomicLong answered = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    @Nullable Agent sender;
    @Nullable Agent receiver;
    volatile Semaphore window = new Semaphore(WINDOW);
    byte[][] frames = new byte[0][];
    int next;
    long signed;
    volatile boolean exhausted;
    @Nullable Thread writer;
    final List<Thread> readers = new ArrayList<>();

    Pair(Scenario scenario, String src, String dst, String idPrefix) {
      this.scenario = scenario;
      this.src = src;
      this.dst = dst;
      this.idPrefix = idPrefix;
      this.body =
          "x".repeat(KeepFixtures.bodyLengthFor(KeepFixtures.id(idPrefix, 0), src, dst, PACKET_BYTES));
    }

    /** Keeps the unsent frames and signs more, so that at least {@code n} are ready. */
    void refill(int n) {
      int left = frames.length - next;
      if (left >= n) {
        return;
      }
      byte[][] more = new byte[n][];
      System.arraycopy(frames, next, more, 0, left);
      long first = signed;
      IntStream.range(left, n)
          .parallel()
          .forEach(
              i ->
                  more[i] =
                      KeepPackets.frame(
                          KeepFixtures.signed(
                                  senderKey,
                                  KeepFixtures.id(idPrefix, 100 + first + i - left),
                                  src,
                                  dst,
                                  body)
                              .toByteArray()));
      signed += n - left;
      frames = more;
      next = 0;
    }

    void startWriter() {
      window = new Semaphore(WINDOW);
      exhausted = false;
      writer =
          Thread.ofPlatform().name("relay-nodes-w-" + src).daemon().start(this::writeLoop);
    }

    private void writeLoop() {
      Agent a = Objects.requireNonNull(sender);
      Semaphore w = window;
      try {
        while (!scenario.stop) {
          if (!w.tryAcquire(50, TimeUnit.MILLISECONDS)) {
            continue;
          }
          int n = 1 + w.drainPermits();
          for (int k = 0; k < n; k++) {
            if (next == frames.length) {
              exhausted = true;
              a.out.flush();
              return;
            }
            a.out.write(frames[next++]);
            sent.incrementAndGet();
          }
          a.out.flush();
        }
      } catch (IOException | InterruptedException e) {
        if (!scenario.stop) {
          System.out.println("writer " + src + " failed: " + e);
        }
      }
    }

    void startReaders() {
      readers.add(
          Thread.ofPlatform().name("relay-nodes-r-" + dst).daemon().start(this::receiveLoop));
      readers.add(
          Thread.ofPlatform().name("relay-nodes-a-" + src).daemon().start(this::answerLoop));
    }

    /** The receiving agent: counts the packets from its sender and frees the sender's window. */
    private void receiveLoop() {
      Agent a = Objects.requireNonNull(receiver);
      try {
        while (true) {
          Packet p = a.read();
          if (p.getTyp() == KeepPackets.TYP_HEARTBEAT) {
            continue;
          }
          if (p.getSrc().equals(src)) {
            delivered.incrementAndGet();
            window.release();
          } else if (errors.incrementAndGet() <= 3) {
            System.out.println("  receiver " + dst + " got a packet from " + p.getSrc());
          }
        }
      } catch (IOException | RuntimeException e) {
        if (!scenario.stop) {
          System.out.println("receiver " + dst + " failed: " + e);
        }
      }
    }

    /** The sender's reads: any answer to a forward is a failure reply. */
    private void answerLoop() {
      Agent a = Objects.requireNonNull(sender);
      try {
        while (true) {
          Packet p = a.read();
          if (p.getTyp() == KeepPackets.TYP_HEARTBEAT) {
            continue;
          }
          answered.incrementAndGet();
          window.release();
          if (errors.incrementAndGet() <= 3) {
            System.out.println("  sender " + src + " was answered " + p.getBody());
          }
        }
      } catch (IOException | RuntimeException e) {
        if (!scenario.stop) {
          System.out.println("sender " + src + " failed: " + e);
        }
      }
    }

    void close() throws InterruptedException {
      if (sender != null) {
        sender.close();
      }
      if (receiver != null) {
        receiver.close();
      }
      if (writer != null) {
        writer.join(2_000);
      }
      for (Thread t : readers) {
        t.join(2_000);
      }
    }
  }

  /** A keep agent's blocking socket. */
  private static final class Agent {
    final Socket socket;
    final OutputStream out;
    final DataInputStream in;

    private Agent(Socket socket) throws IOException {
      this.socket = socket;
      this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
      this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
    }

    static Agent connect(int port) throws IOException {
      Socket s = new Socket();
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      return new Agent(s);
    }

    /** Registers {@code name} with a packet to {@code server}, before any measurement. */
    void register(Ed25519PrivateKey key, String name, String id) throws IOException {
      socket.setSoTimeout(10_000);
      out.write(
          KeepPackets.frame(
              KeepFixtures.typical(key, KeepFixtures.id(id, 0), name, KeepPackets.SERVER, PACKET_BYTES)
                  .toByteArray()));
      out.flush();
      Packet reply = read();
      if (!reply.getBody().equals(KeepPackets.DONE)) {
        throw new IllegalStateException("registration of " + name + " answered " + reply.getBody());
      }
      socket.setSoTimeout(0);
    }

    Packet read() throws IOException {
      int n = in.readInt();
      if (n <= 0 || n > KeepPackets.MAX_PACKET_SIZE) {
        throw new IOException("frame length " + n);
      }
      byte[] b = new byte[n];
      in.readFully(b);
      return Packet.parseFrom(b);
    }

    void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  // --- Redis INFO --------------------------------------------------------------------------------

  /**
   * Redis' own counters, read over a plain socket (the benchmark's nodes keep their connections to
   * themselves): script calls, all commands (those run inside scripts included) and CPU time.
   */
  private static final class RedisInfo {
    /** Counters at one moment. */
    record Snapshot(double cpuSeconds, long scripts, long commands) {
      static final Snapshot NONE = new Snapshot(0, 0, 0);

      Delta minus(Snapshot before) {
        return new Delta(
            (cpuSeconds - before.cpuSeconds) * 1e6, scripts - before.scripts, commands - before.commands);
      }
    }

    /** What happened between two snapshots. */
    record Delta(double cpuMicros, double scripts, double commands) {}

    private final String host;
    private final int port;

    private RedisInfo(String host, int port) {
      this.host = host;
      this.port = port;
    }

    /** The embedded server's counters, or those of {@code url} if it answers INFO without a password. */
    static Optional<RedisInfo> of(@Nullable EmbeddedRedis server, String url) {
      try {
        URI uri = URI.create(url);
        RedisInfo info =
            server != null
                ? new RedisInfo("127.0.0.1", server.port())
                : new RedisInfo(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort());
        info.snapshot();
        return Optional.of(info);
      } catch (RuntimeException e) {
        System.out.println("Redis INFO not readable (" + e.getMessage() + "); no Redis counters");
        return Optional.empty();
      }
    }

    Snapshot snapshot() {
      Map<String, String> fields = new HashMap<>();
      for (String line : info().split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          fields.put(line.substring(0, colon), line.substring(colon + 1));
        }
      }
      long scripts = calls(fields.get("cmdstat_evalsha")) + calls(fields.get("cmdstat_eval"));
      long commands = 0;
      for (Map.Entry<String, String> f : fields.entrySet()) {
        if (f.getKey().startsWith("cmdstat_") && !f.getKey().equals("cmdstat_info")) {
          commands += calls(f.getValue());
        }
      }
      return new Snapshot(
          Double.parseDouble(fields.getOrDefault("used_cpu_user", "0"))
              + Double.parseDouble(fields.getOrDefault("used_cpu_sys", "0")),
          scripts,
          commands);
    }

    private static long calls(@Nullable String stat) {
      if (stat == null) {
        return 0;
      }
      for (String part : stat.split(",")) {
        if (part.startsWith("calls=")) {
          return Long.parseLong(part.substring("calls=".length()));
        }
      }
      return 0;
    }

    /** {@code INFO cpu commandstats} as text. */
    private String info() {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(host, port), 2_000);
        s.setSoTimeout(5_000);
        s.getOutputStream()
            .write(
                "*3\r\n$4\r\nINFO\r\n$3\r\ncpu\r\n$12\r\ncommandstats\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
        InputStream in = new BufferedInputStream(s.getInputStream());
        String header = line(in);
        if (!header.startsWith("$")) {
          throw new IllegalStateException("INFO answered " + header);
        }
        return new String(in.readNBytes(Integer.parseInt(header.substring(1))), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalStateException("INFO failed: " + e, e);
      }
    }

    private static String line(InputStream in) throws IOException {
      StringBuilder b = new StringBuilder();
      for (int c = in.read(); c != -1 && c != '\r'; c = in.read()) {
        b.append((char) c);
      }
      in.read(); // '\n'
      return b.toString();
    }
  }

  // --- machine -----------------------------------------------------------------------------------

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** The first line of {@code /proc/stat} (all cores' jiffies), or empty elsewhere. */
  private static long[] procStat() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long[] v = new long[Math.min(8, f.length - 1)];
      for (int i = 0; i < v.length; i++) {
        v[i] = Long.parseLong(f[i + 1]);
      }
      return v;
    } catch (IOException | RuntimeException e) {
      return new long[0];
    }
  }

  /** Share of the whole machine that was busy between two {@link #procStat} readings. */
  private static double busyFraction(long[] before, long[] after) {
    if (before.length < 5 || after.length < 5) {
      return Double.NaN;
    }
    long total = 0;
    for (int i = 0; i < after.length; i++) {
      total += after[i] - before[i];
    }
    long idle = (after[3] - before[3]) + (after[4] - before[4]);
    return total == 0 ? Double.NaN : 1.0 - (double) idle / total;
  }

  /**
   * The first three fields of {@code /proc/loadavg}, or "?" elsewhere: how busy the machine was.
   */
  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private static double percentile(double[] v, double p) {
    double[] sorted = v.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.min(sorted.length - 1, Math.round(p * (sorted.length - 1)))];
  }
}
