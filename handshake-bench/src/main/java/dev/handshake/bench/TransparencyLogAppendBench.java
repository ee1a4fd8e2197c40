package dev.handshake.bench;

import dev.handshake.audit.log.InMemoryLogStore;
import dev.handshake.audit.log.LogConfig;
import dev.handshake.audit.log.LogStore;
import dev.handshake.audit.log.TransparencyLog;
import dev.handshake.store.sqlite.SqliteLogStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * Appends per second to a {@link TransparencyLog} over the durable {@link SqliteLogStore} (WAL,
 * {@code synchronous=FULL}: one fsync per call) and over {@link InMemoryLogStore}, one 64-byte
 * entry per call ({@code append}) or 100 per call ({@code appendBatch100}, one fsync for all 100:
 * multiply its ops/s by 100 for entries/s). Every iteration starts from an empty log (the in-memory
 * one would otherwise outgrow the heap); the SQLite file lives in a fresh folder under {@code
 * java.io.tmpdir}, and its fsync cost depends entirely on that disk. Run: {@code java -jar
 * handshake-bench/target/benchmarks.jar TransparencyLogAppendBench -f 1 -wi 2 -i 3}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx8g", "--enable-native-access=ALL-UNNAMED"})
public class TransparencyLogAppendBench {
  private static final LogConfig LIMITS = new LogConfig(1024, 1L << 27);

  @Param({"sqlite", "memory"})
  public String store;

  private Path dir;
  private TransparencyLog log;
  private long counter;
  private final List<byte[]> batch = new ArrayList<>();

  @Setup(Level.Iteration)
  public void setup() throws IOException {
    LogStore backing;
    if (store.equals("sqlite")) {
      dir = Files.createTempDirectory("tlog-bench");
      backing = SqliteLogStore.open(dir, LIMITS);
    } else {
      backing = new InMemoryLogStore(LIMITS);
    }
    log = TransparencyLog.open(backing, LIMITS);
  }

  @TearDown(Level.Iteration)
  public void tearDown() throws IOException {
    System.out.printf("  [%s log: %,d leaves this iteration]", store, log.size());
    log.close();
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(TransparencyLogAppendBench::delete);
      }
    }
  }

  private static void delete(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] nextEntry() {
    long i = counter++;
    return ByteBuffer.allocate(64).putLong(i).putLong(i * 0x9E3779B97F4A7C15L).array();
  }

  /** One entry, durable before return. */
  @Benchmark
  public long append() {
    return log.append(nextEntry());
  }

  /** 100 entries in one transaction and one fsync. */
  @Benchmark
  public long appendBatch100() {
    batch.clear();
    for (int i = 0; i < 100; i++) {
      batch.add(nextEntry());
    }
    return log.appendAll(batch);
  }
}
