package dev.handshake.bench;

import dev.handshake.delegation.InMemoryReplayStore;
import dev.handshake.delegation.ReplayStore.Outcome;
import dev.handshake.delegation.ReplayStore;
import dev.handshake.store.sqlite.SqliteReplayStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Delegation replay stores: {@link ReplayStore#checkAndRecord} calls per second.
 *
 * <ul>
 *   <li>{@code first}: a fresh {@code (signer, nonce)} pair each call, the path every accepted
 *       packet takes. A logical clock advances 1 ms per call and pairs are kept 60 s, so the store
 *       settles at 60,000 live pairs and the figure includes purging the expired ones;
 *   <li>{@code replay}: the same, already recorded pair each call (nothing is written).
 * </ul>
 *
 * {@code store}: {@code memory} ({@link InMemoryReplayStore}), {@code sqlite} ({@link
 * SqliteReplayStore}, WAL, synchronous=NORMAL, the default), {@code sqlite-full} (synchronous=FULL:
 * one fsync per recorded pair). Several threads share one store ({@code -t 2}).
 *
 * <p>Run: {@code java -jar handshake-bench/target/benchmarks.jar ReplayStoreBench}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ReplayStoreBench {
  static final Instant BASE = Instant.parse("2026-01-01T12:00:00Z");
  static final long RETAIN_MILLIS = 60_000;
  static final String SIGNER = "agent:s9ofOtK/95K54fMu";

  /** The store under test, shared by all benchmark threads. */
  @State(Scope.Benchmark)
  public static class Stores {
    @Param({"memory", "sqlite", "sqlite-full"})
    public String store;

    ReplayStore replay;
    final AtomicLong ticks = new AtomicLong();
    private Path dir;

    @Setup(Level.Trial)
    public void open() throws Exception {
      dir = Files.createTempDirectory("replay-bench");
      SqliteReplayStore.Options options = SqliteReplayStore.Options.DEFAULTS;
      replay =
          switch (store) {
            case "memory" -> new InMemoryReplayStore();
            case "sqlite" -> SqliteReplayStore.open(dir, options);
            case "sqlite-full" ->
                SqliteReplayStore.open(
                    dir, options.withSynchronous(SqliteReplayStore.Synchronous.FULL));
            default -> throw new IllegalArgumentException(store);
          };
      if (replay.checkAndRecord(
              SIGNER, "nonce_seen", BASE.plus(java.time.Duration.ofDays(36_500)), BASE)
          != Outcome.FIRST) {
        throw new IllegalStateException("setup pair must be new");
      }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      replay.close();
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Benchmark
  public Outcome first(Stores s) {
    long tick = s.ticks.incrementAndGet();
    Instant now = BASE.plusMillis(tick);
    Outcome o =
        s.replay.checkAndRecord(SIGNER, "nonce_" + tick, now.plusMillis(RETAIN_MILLIS), now);
    if (o != Outcome.FIRST) {
      throw new IllegalStateException("fresh pair answered " + o);
    }
    return o;
  }

  @Benchmark
  public Outcome replay(Stores s) {
    Instant now = BASE.plusMillis(s.ticks.incrementAndGet());
    Outcome o = s.replay.checkAndRecord(SIGNER, "nonce_seen", now.plusMillis(RETAIN_MILLIS), now);
    if (o != Outcome.REPLAY) {
      throw new IllegalStateException("recorded pair answered " + o);
    }
    return o;
  }
}
