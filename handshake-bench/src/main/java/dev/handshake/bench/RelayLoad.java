package dev.handshake.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.relay.KeepPackets;
import dev.handshake.relay.RelayConfig;
import dev.handshake.relay.RelayEngine;
import dev.handshake.relay.RelayStats;
import dev.handshake.relay.proto.Packet;
import dev.handshake.server.relay.RelayListener;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * Load generator for the keep-protocol relay (keep.md §2, reference figures at the end of §3).
 * Starts an in-process {@link RelayListener} on {@code 127.0.0.1:0} with the frame-rate limits
 * raised (a fresh one per scenario), or targets {@code --host H --port P} (its limits must be
 * raised too: the defaults allow 2,000 frames/s per connection and 5,000 per address). Every
 * packet is signed before the scenario starts, with a unique id, so the replay cache never sees
 * a replay; the clients are blocking sockets with a writer and a reader thread per connection.
 *
 * <p>Scenarios (each a warm-up, then the measured seconds): ping-pong on one connection; {@code
 * dst=server} with 256 packets in flight per connection over 1, 4 and 16 connections (latency:
 * send → reply by id); 4 sender→sink pairs (latency: send → arrival at the sink; 256 in flight
 * per pair, released by the sink); 60,000-byte bodies over 4 connections with 16 in flight; and
 * open-loop fixed-rate sends, one write per packet, at 80 % and 50 % of the 4-connection peak
 * (latency from the scheduled send time, so a stalled server cannot hide queueing). It also times
 * single-core Ed25519 verifies (per CPU-second of the timing thread) and prints each rate as a
 * fraction of {@code cores × verify/s}, and, in process, the CPU the relay's Netty threads spent
 * per packet.
 *
 * <p>Run: {@code java -cp handshake-bench/target/benchmarks.jar dev.handshake.bench.RelayLoad
 * [--seconds N] [--warmup N] [--host H --port P] [--workers N] [--scenarios
 * pingpong,a1,a4,a16,route,big,open] [--open-fractions 0.8,0.5 | --rate R]
 * [--replay-window-seconds 600] [--verify-threads N] [--verbose]}; the replay window applies to the in-process relay
 * (0 turns its replay cache off), as does {@code --verify-threads} (0 = verify on the I/O threads;
 * default one per core).
 */
public final class RelayLoad {
  private static final int PACKET_BYTES = KeepFixtures.TYPICAL_PACKET_BYTES;
  private static final int BIG_BODY = 60_000;
  private static final String ALL = "pingpong,a1,a4,a16,route,big,open";

  private final int seconds;
  private final int warmup;
  private final @Nullable String host;
  private final int port;
  private final int workers;
  private final Set<String> scenarios;
  private final double openRate;
  private final String openFractions;
  private final Duration replayWindow;
  private final boolean verbose;
  private final int verifyThreads;
  private final String runId = Long.toHexString(0x100000L + ThreadLocalRandom.current().nextLong(0xeffff)).substring(0, 5);
  private final int cores = Runtime.getRuntime().availableProcessors();
  private final List<Result> results = new ArrayList<>();
  private double verifyPerSecond;
  private double bigVerifyPerSecond;
  private int scenarioNumber;

  private RelayLoad(Map<String, String> options) {
    seconds = Integer.parseInt(options.getOrDefault("seconds", "10"));
    warmup = Integer.parseInt(options.getOrDefault("warmup", "3"));
    host = options.get("host");
    port = Integer.parseInt(options.getOrDefault("port", "9009"));
    workers = Integer.parseInt(options.getOrDefault("workers", "0"));
    scenarios = new LinkedHashSet<>(Arrays.asList(options.getOrDefault("scenarios", ALL).split(",")));
    openRate = Double.parseDouble(options.getOrDefault("rate", "0"));
    openFractions = options.getOrDefault("open-fractions", "0.8,0.5");
    replayWindow = Duration.ofSeconds(Long.parseLong(options.getOrDefault("replay-window-seconds", "600")));
    verbose = options.containsKey("verbose");
    verifyThreads =
        Integer.parseInt(options.getOrDefault("verify-threads", Integer.toString(Runtime.getRuntime().availableProcessors())));
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + args[i]);
      }
      String name = args[i].substring(2);
      if (name.equals("verbose")) {
        options.put(name, "true");
      } else if (i + 1 < args.length) {
        options.put(name, args[++i]);
      } else {
        throw new IllegalArgumentException("--" + name + " needs a value");
      }
    }
    new RelayLoad(options).run();
  }

  private void run() throws Exception {
    System.out.printf(
        "RelayLoad: %d cores (%s), JDK %s, %s, %d s warm-up + %d s per scenario, load average before: %s%n",
        cores, cpuModel(), Runtime.version(), host == null ? "in-process relay on 127.0.0.1" : "target " + host + ":" + port,
        warmup, seconds, loadAverage());
    calibrate();
    double peak4 = 0;
    for (String s : scenarios) {
      if (s.equals("open")) {
        if (openRate > 0) {
          results.add(openScenario(openRate, "--rate"));
        } else if (peak4 <= 0) {
          System.out.println("open: no --rate and no a4 result; skipped");
        } else {
          for (String f : openFractions.split(",")) {
            double fraction = Double.parseDouble(f);
            results.add(
                openScenario(fraction * peak4, String.format(Locale.ROOT, "%.0f%% of a4", 100 * fraction)));
          }
        }
        continue;
      }
      Result r =
          switch (s) {
            case "pingpong" -> serverScenario("ping-pong, 1 conn, 1 in flight", 1, 1);
            case "a1" -> serverScenario("dst=server, 1 conn, 256 in flight", 1, 256);
            case "a4" -> serverScenario("dst=server, 4 conns, 256 in flight", 4, 256);
            case "a16" -> serverScenario("dst=server, 16 conns, 256 in flight", 16, 256);
            case "route" -> routeScenario();
            case "big" -> bigScenario();
            default -> throw new IllegalArgumentException("unknown scenario " + s + " (known: " + ALL + ")");
          };
      if (r != null) {
        results.add(r);
        if (s.equals("a4")) {
          peak4 = r.packetsPerSecond;
        }
      }
    }
    printTable();
  }

  // --- calibration ---------------------------------------------------------------------------

  /** Single-core verifies per second of the typical sign payload (and of a 60 KB one). */
  private void calibrate() {
    Ed25519PrivateKey key = KeepFixtures.key(42);
    Packet typical = KeepFixtures.typical(key, KeepFixtures.id("cal-", 1), "bot:cal", "server", PACKET_BYTES);
    verifyPerSecond = verifyRate(typical, 1000, 2500);
    Packet big =
        KeepPackets.sign(
            Packet.newBuilder().setId(KeepFixtures.id("cal-", 2)).setSrc("bot:cal").setDst("server")
                .setBody("x".repeat(BIG_BODY)).build(),
            key);
    bigVerifyPerSecond = verifyRate(big, 300, 700);
    System.out.printf(
        "single-core BouncyCastle verify (cached point): %,.0f/s (%.1f µs) for the %d-byte packet, %,.0f/s for a %,d-byte body%n",
        verifyPerSecond, 1e6 / verifyPerSecond, PACKET_BYTES, bigVerifyPerSecond, BIG_BODY);
  }

  private static double verifyRate(Packet packet, long warmupMillis, long measureMillis) {
    Ed25519PublicKey k = Ed25519PublicKey.of(packet.getPk().toByteArray());
    byte[] msg = KeepPackets.signPayload(packet);
    byte[] sig = packet.getSig().toByteArray();
    long end = System.nanoTime() + warmupMillis * 1_000_000;
    while (System.nanoTime() < end) {
      if (!k.verify(msg, sig)) {
        throw new IllegalStateException("calibration signature invalid");
      }
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpu0 = threads.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    long n = 0;
    end = t0 + measureMillis * 1_000_000;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 16; i++) {
        k.verify(msg, sig);
      }
      n += 16;
    }
    long cpu = threads.getCurrentThreadCpuTime() - cpu0;
    // Per CPU-second, so time stolen by other work on the shared machine does not count.
    return n * 1e9 / Math.max(cpu, 1);
  }

  // --- scenarios ---------------------------------------------------------------------------------

  /** Rough upper bound of the relay's packets/s, for sizing the pre-signed pools. */
  private double ceiling(int connections) {
    return Math.min(connections, cores) * verifyPerSecond * 1.3;
  }

  private int poolPerConnection(double rate, int connections, double skew) {
    return (int) Math.min(Integer.MAX_VALUE - 8, Math.ceil(rate * (warmup + seconds + 2) / connections * skew) + 512);
  }

  private Result serverScenario(String name, int connections, int inFlight) throws Exception {
    int perConn =
        inFlight == 1
            ? poolPerConnection(Math.min(verifyPerSecond, 30_000), 1, 1.2)
            : poolPerConnection(ceiling(connections), connections, connections == 1 ? 1.0 : 1.5);
    Scenario sc = new Scenario(name, connections, inFlight);
    for (int i = 0; i < connections; i++) {
      Conn c = sc.add(new Conn(sc, i));
      c.pool = Pool.sign(c.key, c.idPrefix, c.src, "server", perConn, 0);
    }
    return sc.run();
  }

  private Result routeScenario() throws Exception {
    int pairs = 4;
    Scenario sc = new Scenario("route, 4 sender→sink pairs, 256 in flight", pairs, 256);
    int perConn = poolPerConnection(ceiling(pairs), pairs, 1.5);
    for (int i = 0; i < pairs; i++) {
      // Short names so that a forward is still a 165-byte packet.
      Conn sender = sc.add(new Conn(sc, i, "bot:s" + i));
      Conn sink = new Conn(sc, 100 + i, "bot:k" + i);
      sink.sinkOf = sender;
      sender.sink = sink;
      sc.sinks.add(sink);
      sender.pool = Pool.sign(sender.key, sender.idPrefix, sender.src, sink.src, perConn, 0);
    }
    return sc.run();
  }

  private Result bigScenario() throws Exception {
    int connections = 4;
    Scenario sc = new Scenario("60 KB bodies, 4 conns, 16 in flight", connections, 16);
    sc.verifyRate = bigVerifyPerSecond;
    int perConn = poolPerConnection(Math.min(cores, connections) * bigVerifyPerSecond, connections, 1.3);
    for (int i = 0; i < connections; i++) {
      Conn c = sc.add(new Conn(sc, i));
      c.pool = Pool.sign(c.key, c.idPrefix, c.src, "server", perConn, BIG_BODY);
    }
    return sc.run();
  }

  private Result openScenario(double rate, String label) throws Exception {
    int connections = 4;
    Scenario sc =
        new Scenario(String.format(Locale.ROOT, "open loop %,.0f/s (%s), 4 conns", rate, label), connections, 0);
    sc.openRate = rate;
    int perConn = poolPerConnection(rate, connections, 1.05);
    for (int i = 0; i < connections; i++) {
      Conn c = sc.add(new Conn(sc, i));
      c.pool = Pool.sign(c.key, c.idPrefix, c.src, "server", perConn, 0);
    }
    return sc.run();
  }

  // --- one scenario ------------------------------------------------------------------------------

  private enum Phase { WARMUP, MEASURE, DRAIN }

  /** Connections, phase and the measurement of one scenario. */
  private final class Scenario {
    final String name;
    final int connections;
    final int inFlight;
    final String code;
    final List<Conn> senders = new ArrayList<>();
    final List<Conn> sinks = new ArrayList<>();
    volatile Phase phase = Phase.WARMUP;
    volatile boolean stop;
    double openRate;
    /** Single-core verifies/s of this scenario's packets (the 60 KB one for big bodies). */
    double verifyRate = verifyPerSecond;
    long measureStart;
    long measureEnd;

    Scenario(String name, int connections, int inFlight) {
      this.name = name;
      this.connections = connections;
      this.inFlight = inFlight;
      this.code = String.format(Locale.ROOT, "%02d", ++scenarioNumber % 100);
    }

    Conn add(Conn c) {
      senders.add(c);
      return c;
    }

    Result run() throws Exception {
      System.gc();
      Thread.sleep(500);
      RelayListener listener = null;
      RelayEngine engine = null;
      String targetHost = host;
      int targetPort = port;
      if (host == null) {
        RelayConfig config =
            RelayConfig.builder()
                .connectionFramesPerSecond(10_000_000)
                .addressFramesPerSecond(10_000_000)
                .outboundQueueFrames(1_000_000)
                .outboundQueueBytes(1L << 30)
                .replayWindow(replayWindow)
                .verifyThreads(verifyThreads)
                .build();
        engine = new RelayEngine(config, Clock.systemUTC());
        listener = workers > 0 ? RelayListener.start("127.0.0.1", 0, engine, workers) : RelayListener.start("127.0.0.1", 0, engine);
        targetHost = "127.0.0.1";
        targetPort = listener.port();
      }
      try {
        for (Conn sink : sinks) {
          sink.connect(targetHost, targetPort);
          sink.register();
        }
        for (Conn c : senders) {
          c.connect(targetHost, targetPort);
        }
        for (Conn c : sinks) {
          c.startReader();
        }
        for (Conn c : senders) {
          c.startReader();
        }
        long start = System.nanoTime();
        for (Conn c : senders) {
          c.startWriter(start);
        }
        Thread.sleep(warmup * 1000L);
        CpuSnapshot cpu0 = CpuSnapshot.take();
        RelayStats stats0 = engine == null ? null : engine.stats();
        measureStart = System.nanoTime();
        phase = Phase.MEASURE;
        Thread.sleep(seconds * 1000L);
        phase = Phase.DRAIN;
        measureEnd = System.nanoTime();
        CpuSnapshot cpu1 = CpuSnapshot.take();
        RelayStats stats1 = engine == null ? null : engine.stats();
        stop = true;
        for (Conn c : senders) {
          c.writer.join(5000);
        }
        long drainUntil = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < drainUntil && outstanding() > 0) {
          Thread.sleep(10);
        }
        Result r = result(cpu0, cpu1, stats0, stats1);
        System.out.println(r.line(cores));
        if (verbose && stats1 != null) {
          System.out.println("    server stats after: " + stats1);
          System.out.println("    threads: " + cpu1.names);
        }
        return r;
      } finally {
        stop = true;
        for (Conn c : senders) {
          c.close();
        }
        for (Conn c : sinks) {
          c.close();
        }
        if (listener != null) {
          listener.close();
        }
      }
    }

    long outstanding() {
      long n = 0;
      for (Conn c : senders) {
        n += c.sent.get() - c.answered.get();
      }
      return n;
    }

    Result result(CpuSnapshot cpu0, CpuSnapshot cpu1, @Nullable RelayStats s0, @Nullable RelayStats s1) {
      double wall = (measureEnd - measureStart) / 1e9;
      long count = 0;
      long errors = 0;
      long wraps = 0;
      List<long[]> all = new ArrayList<>();
      for (Conn c : senders) {
        errors += c.errors.get();
        wraps += c.wraps;
      }
      for (Conn c : sinks.isEmpty() ? senders : sinks) {
        count += c.measuredCount;
        all.add(Arrays.copyOf(c.latencies, c.latencyCount));
      }
      long[] lat = all.stream().flatMapToLong(Arrays::stream).toArray();
      Arrays.sort(lat);
      Result r = new Result();
      r.name = name;
      r.connections = connections;
      r.inFlight = inFlight;
      r.verifyPerSecond = verifyRate;
      r.packetsPerSecond = count / wall;
      r.frameBytes = senders.get(0).pool.frameBytes();
      r.p50 = percentile(lat, 0.50);
      r.p99 = percentile(lat, 0.99);
      r.max = lat.length == 0 ? 0 : lat[lat.length - 1];
      r.errors = errors;
      r.wraps = wraps;
      double cpuNanos = wall * 1e9 * cores;
      r.processCpu = (cpu1.process - cpu0.process) / cpuNanos;
      r.machineBusy = cpu1.machineBusyFraction(cpu0);
      if (s1 != null) {
        r.serverCpu = (cpu1.server - cpu0.server) / cpuNanos;
        r.generatorCpu = (cpu1.generator - cpu0.generator) / cpuNanos;
        long verified = s1.totalPackets() - s0.totalPackets();
        r.serverMicrosPerPacket = verified == 0 ? 0 : (cpu1.server - cpu0.server) / 1e3 / verified;
        r.generatorMicrosPerPacket = count == 0 ? 0 : (cpu1.generator - cpu0.generator) / 1e3 / count;
        r.serverNote =
            (s1.rateLimited() + s1.replays() + s1.droppedInvalid() + s1.deliveryFailed() > 0)
                ? String.format(Locale.ROOT, " SERVER DROPS: rateLimited=%d replays=%d invalid=%d deliveryFailed=%d",
                    s1.rateLimited(), s1.replays(), s1.droppedInvalid(), s1.deliveryFailed())
                : "";
      } else {
        r.serverCpu = Double.NaN;
        r.generatorCpu = Double.NaN;
      }
      return r;
    }
  }

  private static long percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  }

  /** One client connection: blocking socket, a writer thread and a reader thread. */
  private final class Conn {
    final Scenario sc;
    final int index;
    final Ed25519PrivateKey key = KeepFixtures.randomKey();
    final String idPrefix;
    final String src;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong answered = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    @Nullable Conn sink;
    @Nullable Conn sinkOf;
    Pool pool;
    AtomicLongArray sendNanos;
    @Nullable Semaphore window;
    Socket socket;
    OutputStream out;
    DataInputStream in;
    Thread writer;
    Thread reader;
    long wraps;
    // written by the reader thread only, read after it stopped measuring
    long[] latencies = new long[1 << 16];
    int latencyCount;
    long measuredCount;

    Conn(Scenario sc, int index) {
      this(sc, index, "bot:" + runId + sc.code + index);
    }

    Conn(Scenario sc, int index, String src) {
      this.sc = sc;
      this.index = index;
      this.idPrefix = runId + sc.code + String.format(Locale.ROOT, "%03d", index) + "-";
      this.src = src;
    }

    void connect(String h, int p) throws IOException {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(h, p), 5000);
      out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
      in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
      if (pool != null) {
        sendNanos = new AtomicLongArray(pool.size());
      }
      if (pool != null && sc.inFlight > 0) {
        window = new Semaphore(sc.inFlight);
      }
    }

    /** A sink's one packet to {@code server}, so its src is registered before senders start. */
    void register() throws IOException {
      Packet hello = KeepFixtures.typical(key, idPrefix + "hello", src, "server", PACKET_BYTES);
      out.write(KeepPackets.frame(hello.toByteArray()));
      out.flush();
      Packet reply = readPacket();
      if (!reply.getBody().equals(KeepPackets.DONE)) {
        throw new IllegalStateException("sink registration answered " + reply.getBody());
      }
    }

    Packet readPacket() throws IOException {
      int n = in.readInt();
      byte[] b = new byte[n];
      in.readFully(b);
      return Packet.parseFrom(b);
    }

    void startWriter(long start) {
      writer =
          Thread.ofPlatform().name("load-w-" + sc.code + "-" + index).daemon().start(
              sc.openRate > 0 ? () -> openLoop(start) : this::closedLoop);
    }

    void startReader() {
      reader = Thread.ofPlatform().name("load-r-" + sc.code + "-" + index).daemon().start(this::readLoop);
    }

    private void writeOne() throws IOException {
      long seq = sent.get();
      int i = (int) (seq % pool.size());
      if (seq >= pool.size() && i == 0) {
        wraps++;
      }
      out.write(pool.heads[i]);
      if (pool.tail.length > 0) {
        out.write(pool.tail);
      }
      sent.incrementAndGet();
    }

    private void closedLoop() {
      Semaphore w = window;
      try {
        while (!sc.stop) {
          if (!w.tryAcquire(50, TimeUnit.MILLISECONDS)) {
            continue;
          }
          int n = 1 + w.drainPermits();
          for (int k = 0; k < n; k++) {
            sendNanos.set((int) (sent.get() % pool.size()), System.nanoTime());
            writeOne();
          }
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        if (!sc.stop) {
          System.out.println("writer " + index + " failed: " + e);
        }
      }
    }

    private void openLoop(long start) {
      double perConnRate = sc.openRate / sc.connections;
      double interval = 1e9 / perConnRate;
      double offset = interval * index / sc.connections;
      try {
        long k = 0;
        while (!sc.stop) {
          long now = System.nanoTime();
          long due = start + (long) (offset + k * interval);
          if (due > now) {
            LockSupport.parkNanos(due - now);
            continue;
          }
          while (start + (long) (offset + k * interval) <= now) {
            sendNanos.set((int) (sent.get() % pool.size()), start + (long) (offset + k * interval));
            writeOne();
            k++;
          }
          out.flush();
        }
      } catch (IOException e) {
        if (!sc.stop) {
          System.out.println("writer " + index + " failed: " + e);
        }
      }
    }

    private void readLoop() {
      byte[] buf = new byte[KeepPackets.MAX_PACKET_SIZE];
      try {
        while (true) {
          int n = in.readInt();
          in.readFully(buf, 0, n);
          long now = System.nanoTime();
          Packet p = Packet.parseFrom(ByteBuffer.wrap(buf, 0, n));
          if (p.getTyp() == KeepPackets.TYP_HEARTBEAT && p.getId().isEmpty()) {
            continue;
          }
          Conn origin = sinkOf != null ? sinkOf : this;
          if (sinkOf == null && !p.getBody().equals(KeepPackets.DONE)) {
            errors.incrementAndGet();
            if (errors.get() <= 3) {
              System.out.println("  conn " + index + " got reply " + p.getBody());
            }
          }
          long seq = Long.parseLong(p.getId().substring(origin.idPrefix.length()));
          origin.answered.incrementAndGet();
          if (origin.window != null) {
            origin.window.release();
          }
          if (sc.phase == Phase.MEASURE) {
            if (latencyCount == latencies.length) {
              latencies = Arrays.copyOf(latencies, latencies.length * 2);
            }
            latencies[latencyCount++] = now - origin.sendNanos.get((int) (seq % origin.pool.size()));
            measuredCount++;
          }
        }
      } catch (IOException | RuntimeException e) {
        if (!sc.stop) {
          System.out.println("reader " + index + " failed: " + e);
        }
      }
    }

    void close() throws InterruptedException {
      try {
        if (socket != null) {
          socket.close();
        }
      } catch (IOException ignored) {
        // closing anyway
      }
      if (reader != null) {
        reader.join(2000);
      }
      if (writer != null) {
        writer.join(2000);
      }
    }
  }

  /** Pre-signed frames of one connection: per packet the bytes before the body's tail, and the shared tail. */
  private static final class Pool {
    final byte[][] heads;
    final byte[] tail;

    private Pool(byte[][] heads, byte[] tail) {
      this.heads = heads;
      this.tail = tail;
    }

    int size() {
      return heads.length;
    }

    int frameBytes() {
      return heads[0].length + tail.length;
    }

    /**
     * Signs {@code n} packets {@code src → dst} with ids {@code prefix + seq}. With {@code bigBody
     * > 0} every body is that many bytes and, being the last field on the wire, is kept once.
     */
    static Pool sign(Ed25519PrivateKey key, String prefix, String src, String dst, int n, int bigBody) {
      byte[][] heads = new byte[n][];
      byte[] tail;
      if (bigBody > 0) {
        String body = "x".repeat(bigBody);
        tail = Packet.newBuilder().setBody(body).build().toByteArray();
        IntStream.range(0, n).parallel().forEach(i -> {
          byte[] packet =
              KeepPackets.sign(
                  Packet.newBuilder().setId(KeepFixtures.id(prefix, i)).setSrc(src).setDst(dst).setBody(body).build(), key)
                  .toByteArray();
          if (!Arrays.equals(packet, packet.length - tail.length, packet.length, tail, 0, tail.length)) {
            throw new IllegalStateException("body is not the last field");
          }
          byte[] head = new byte[KeepPackets.HEADER_SIZE + packet.length - tail.length];
          ByteBuffer.wrap(head).putInt(packet.length).put(packet, 0, packet.length - tail.length);
          heads[i] = head;
        });
      } else {
        tail = new byte[0];
        String body = "x".repeat(KeepFixtures.bodyLengthFor(KeepFixtures.id(prefix, 0), src, dst, PACKET_BYTES));
        IntStream.range(0, n).parallel().forEach(i ->
            heads[i] = KeepPackets.frame(KeepFixtures.signed(key, KeepFixtures.id(prefix, i), src, dst, body).toByteArray()));
      }
      return new Pool(heads, tail);
    }
  }

  // --- CPU accounting ----------------------------------------------------------------------------

  /** Process, relay-thread and generator-thread CPU time, and the machine's /proc/stat counters. */
  private record CpuSnapshot(long process, long server, long generator, long[] machine, List<String> names) {
    static CpuSnapshot take() {
      OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long server = 0;
      long generator = 0;
      List<String> names = new ArrayList<>();
      long[] ids = threads.getAllThreadIds();
      ThreadInfo[] infos = threads.getThreadInfo(ids);
      for (int i = 0; i < ids.length; i++) {
        if (infos[i] == null) {
          continue;
        }
        String name = infos[i].getThreadName();
        long t = threads.getThreadCpuTime(ids[i]);
        if (t < 0) {
          continue;
        }
        if (name.startsWith("load-")) {
          generator += t;
        } else if (name.startsWith("multiThreadIoEventLoopGroup")) {
          server += t;
          names.add(name);
        }
      }
      return new CpuSnapshot(os.getProcessCpuTime(), server, generator, procStat(), names);
    }

    double machineBusyFraction(CpuSnapshot before) {
      if (machine.length < 5 || before.machine.length < 5) {
        return Double.NaN;
      }
      long total = 0;
      for (int i = 0; i < machine.length; i++) {
        total += machine[i] - before.machine[i];
      }
      long idle = (machine[3] - before.machine[3]) + (machine[4] - before.machine[4]);
      return total == 0 ? Double.NaN : 1.0 - (double) idle / total;
    }

    private static long[] procStat() {
      try {
        String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
        String[] f = first.trim().split("\\s+");
        long[] v = new long[Math.min(8, f.length - 1)];
        for (int i = 0; i < v.length; i++) {
          v[i] = Long.parseLong(f[i + 1]);
        }
        return v;
      } catch (IOException | RuntimeException e) {
        return new long[0];
      }
    }
  }

  // --- output ------------------------------------------------------------------------------------

  private static final class Result {
    String name;
    int connections;
    int inFlight;
    double packetsPerSecond;
    int frameBytes;
    long p50;
    long p99;
    long max;
    long errors;
    long wraps;
    double processCpu;
    double serverCpu;
    double generatorCpu;
    double machineBusy;
    double serverMicrosPerPacket;
    double generatorMicrosPerPacket;
    String serverNote = "";
    double verifyPerSecond;

    String line(int cores) {
      return String.format(
          Locale.ROOT,
          "%-40s %9.0f %7.1f %8.2f %8.2f %8.2f %6.1f%% %6s %6s %6.1f%% %7s %7s %5s %6.2f%s%s%s",
          name, packetsPerSecond, packetsPerSecond * frameBytes / 1e6, p50 / 1e6, p99 / 1e6, max / 1e6,
          processCpu * 100, pct(serverCpu), pct(generatorCpu), machineBusy * 100,
          Double.isNaN(serverCpu) ? "n/a" : String.format(Locale.ROOT, "%.1f", serverMicrosPerPacket),
          Double.isNaN(serverCpu) ? "n/a" : String.format(Locale.ROOT, "%.1f", generatorMicrosPerPacket),
          Double.isNaN(serverCpu) || serverMicrosPerPacket == 0
              ? "n/a"
              : String.format(Locale.ROOT, "%.0f%%", 100 * 1e6 / verifyPerSecond / serverMicrosPerPacket),
          packetsPerSecond / (cores * verifyPerSecond),
          errors > 0 ? " ERRORS=" + errors : "",
          wraps > 0 ? " POOL WRAPPED (replays sent)" : "",
          serverNote);
    }

    private static String pct(double v) {
      return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", v * 100);
    }
  }

  private static final String HEADER =
      String.format(
          Locale.ROOT,
          "%-40s %9s %7s %8s %8s %8s %7s %6s %6s %7s %7s %7s %5s %6s",
          "scenario", "pkt/s", "MB/s", "p50 ms", "p99 ms", "max ms", "proc", "relay", "gen", "machine",
          "µs/pkt", "gen µs", "vfy", "ratio");

  private void printTable() {
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "Relay load, %d cores, single-core verify %,.0f/s → ceiling cores × verify/s = %,.0f pkt/s; load average after: %s%n",
        cores, verifyPerSecond, cores * verifyPerSecond, loadAverage());
    System.out.println(HEADER);
    for (Result r : results) {
      System.out.println(r.line(cores));
    }
    System.out.println(
        """
        pkt/s: replies (or sink arrivals) per second in the measured window; MB/s: inbound frame bytes at that rate.
        latency: send → reply (route: send → arrival at the sink; open loop: scheduled send time → reply).
        proc/relay/gen: CPU of this process / the relay's Netty threads / the generator threads, as % of all cores;
        machine: whole machine busy (/proc/stat), so machine − proc is other work on the host.
        µs/pkt: relay-thread CPU per verified packet; gen µs: generator-thread CPU per measured packet;
        vfy: share of the relay's CPU per packet that its verify accounts for (single-core verify time ÷ µs/pkt);
        ratio: pkt/s ÷ (cores × single-core verify/s); both use the 60 KB verify rate for the 60 KB row.""");
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[0] + " "
          + Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[1];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }
}
