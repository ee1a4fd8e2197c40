package dev.handshake.bench;

import dev.handshake.json.Json;
import dev.handshake.server.SharedState;
import dev.handshake.session.RequestInfo;
import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionEngine;
import dev.handshake.store.redis.EmbeddedRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Session context reads ({@code SessionEngine.context}, what {@code GET {prefix}/context/<sid>}
 * runs) on one node in memory, one node on Redis, and two nodes on one Redis taking turns (issue 7
 * "one node vs two nodes on Redis for session context reads"). The Redis nodes are built the way
 * {@code handshake serve --redis} builds them ({@link SharedState#sessions}): Redis session store,
 * rate limiter and event bus, each node with its own connection.
 *
 * <p>Two measurements, both in alternating blocks so that every configuration sees the same
 * machine: one thread on one session ({@link PairedRatio}: the latency-bound rate), and {@code
 * threads} threads each on its own session (the throughput of the node, or of both nodes). For two
 * nodes, calls alternate between node A and node B (one thread: every other call; several threads:
 * every other thread, and each thread alternates too).
 *
 * <p>Run: {@code java -cp handshake-bench/target/benchmarks.jar
 * dev.handshake.bench.SessionNodesBench [rounds] [threads] [redis://url]}. Without a URL it starts
 * {@code redis-server} from {@code PATH} on a free loopback port (no persistence) and stops it at
 * the end; it then shares the machine's cores with the benchmark, as a Redis on the same host
 * would.
 */
public final class SessionNodesBench {
  private static final long BLOCK_MILLIS = 500;
  private static final long WARMUP_NANOS = 10_000_000_000L;

  private SessionNodesBench() {}

  /** One node's engine and one session on it per thread. */
  private record Node(SessionEngine engine, List<String> sessions, List<RequestInfo> agents) {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    Optional<String> url = args.length > 2 ? Optional.of(args[2]) : Optional.empty();
    @Nullable EmbeddedRedis server = url.isEmpty() ? EmbeddedRedis.startOnFreePort() : null;
    String redisUrl = server != null ? server.url() : url.orElseThrow();
    SessionConfig config =
        SessionConfig.builder().rateLimitPerMinute(0).createAllowNoOrigin(true).build();
    try (SharedState sharedA = SharedState.open(Optional.of(redisUrl), Optional.empty());
        SharedState sharedB = SharedState.open(Optional.of(redisUrl), Optional.empty())) {
      System.out.printf(
          "cores %d, JDK %s, Redis %s, %d rounds, %d threads, load average %s%n",
          Runtime.getRuntime().availableProcessors(),
          Runtime.version(),
          server == null ? redisUrl : "redis-server on 127.0.0.1:" + server.port(),
          rounds,
          threads,
          loadAverage());
      SessionEngine memoryEngine = SessionEngine.builder().config(config).build();
      SessionEngine engineA = engine(sharedA, config);
      SessionEngine engineB = engine(sharedB, config);
      Node memory = sessions(memoryEngine, threads);
      Node redisA = sessions(engineA, threads);
      // node B serves node A's sessions: same ids, same tokens
      Node redisB = new Node(engineB, redisA.sessions(), redisA.agents());

      PairedRatio paired = new PairedRatio(BLOCK_MILLIS / 2, 8, rounds);
      for (long end = System.nanoTime() + WARMUP_NANOS; System.nanoTime() < end; ) {
        // JIT the Lettuce and session paths before the first block counts
        read(memory, 0);
        read(redisA, 0);
        read(redisB, 0);
      }
      BooleanSupplier onMemory = () -> read(memory, 0);
      BooleanSupplier onA = () -> read(redisA, 0);
      int[] turn = {0};
      BooleanSupplier alternating = () -> read((turn[0]++ & 1) == 0 ? redisA : redisB, 0);
      System.out.println("one thread, one session:");
      System.out.println("  " + paired.compare("Redis 1 node / memory", onMemory, onA, 1));
      System.out.println(
          "  " + paired.compare("Redis 2 nodes / Redis 1 node", onA, alternating, 1));

      System.out.printf(
          "%d threads, a session each (median ops/s of %d rounds):%n", threads, rounds);
      double[][] rates = new double[3][rounds];
      for (int r = -3; r < rounds; r++) { // three warm-up rounds
        double m = concurrent(threads, t -> () -> read(memory, t));
        double one = concurrent(threads, t -> () -> read(redisA, t));
        double two =
            concurrent(
                threads,
                t -> {
                  int[] own = {t};
                  return () -> read((own[0]++ & 1) == 0 ? redisA : redisB, t);
                });
        if (r >= 0) {
          rates[0][r] = m;
          rates[1][r] = one;
          rates[2][r] = two;
        }
      }
      System.out.printf("  memory, 1 node          %,10.0f ops/s%n", median(rates[0]));
      System.out.printf("  Redis, 1 node           %,10.0f ops/s%n", median(rates[1]));
      System.out.printf("  Redis, 2 nodes (turns)  %,10.0f ops/s%n", median(rates[2]));
      System.out.println("load average at the end: " + loadAverage());
      memoryEngine.close();
      engineA.close();
      engineB.close();
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  private static SessionEngine engine(SharedState shared, SessionConfig config) {
    return shared.sessions(SessionEngine.builder().config(config), Clock.systemUTC()).build();
  }

  private static Node sessions(SessionEngine engine, int count) {
    List<String> ids = new ArrayList<>();
    List<RequestInfo> agents = new ArrayList<>();
    for (int i = 0; i < Math.max(1, count); i++) {
      JsonNode created =
          Json.tryParse(engine.create(Fixtures.formFill10(), info(Optional.empty())).body())
              .orElseThrow();
      ids.add(created.get("sessionId").stringValue());
      agents.add(info(Optional.of(created.get("token").stringValue())));
    }
    return new Node(engine, ids, agents);
  }

  private static RequestInfo info(Optional<String> token) {
    return RequestInfo.of(
        name -> name.equalsIgnoreCase("X-Handshake-Token") ? token.orElse(null) : null,
        null,
        "127.0.0.1");
  }

  /** One context read of session {@code i} of {@code node}; fails loudly on anything but 200. */
  private static boolean read(Node node, int i) {
    int status = node.engine().context(node.sessions().get(i), node.agents().get(i)).status();
    if (status != 200) {
      throw new IllegalStateException("context read answered " + status);
    }
    return true;
  }

  /** Operations per second of {@code threads} threads over one block. */
  private static double concurrent(int threads, IntFunction<BooleanSupplier> op)
      throws InterruptedException {
    LongAdder ops = new LongAdder();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      BooleanSupplier call = op.apply(t);
      Thread w =
          new Thread(() -> {
            ready.countDown();
            try {
              go.await();
            } catch (InterruptedException e) {
              return;
            }
            while (!stop.get()) {
              call.getAsBoolean();
              ops.increment();
            }
          });
      w.start();
      workers.add(w);
    }
    ready.await();
    long start = System.nanoTime();
    go.countDown();
    Thread.sleep(BLOCK_MILLIS);
    stop.set(true);
    long elapsed = System.nanoTime() - start;
    for (Thread w : workers) {
      w.join();
    }
    return ops.sum() * 1e9 / elapsed;
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

  private static double median(double[] v) {
    double[] sorted = v.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
