package dev.handshake.bench;

import dev.handshake.audit.log.InMemoryLogStore;
import dev.handshake.audit.log.MerkleHashes;
import dev.handshake.audit.log.MerkleProofs;
import dev.handshake.audit.log.Sha256Hash;
import dev.handshake.audit.log.TransparencyLog;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * Proof cost in a transparency log of {@code leaves} entries (default 1,000,000, in-memory store,
 * built once): inclusion and consistency proof generation from the subtree index, and their offline
 * verification, at random indexes and sizes (aiss.md §3 item 6c). Single thread, average
 * microseconds per operation. Run: {@code java -jar handshake-bench/target/benchmarks.jar
 * TransparencyLogBench -f 1 -wi 2 -i 3}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx4g"})
public class TransparencyLogBench {
  private static final int SAMPLES = 4096;

  @Param({"1000000"})
  public int leaves;

  private TransparencyLog log;
  private long size;
  private Sha256Hash root;
  private long[] indexes;
  private long[] oldSizes;
  private Sha256Hash[] leafHashes;
  private Sha256Hash[] oldRoots;
  private List<List<Sha256Hash>> inclusionProofs;
  private List<List<Sha256Hash>> consistencyProofs;
  private int next;

  static byte[] entry(long i) {
    // A chain-head-like entry: 64 bytes.
    return ByteBuffer.allocate(64).putLong(i).putLong(i * 0x9E3779B97F4A7C15L).array();
  }

  @Setup
  public void setup() {
    long start = System.nanoTime();
    log = TransparencyLog.open(new InMemoryLogStore());
    List<byte[]> batch = new ArrayList<>(10_000);
    for (long i = 0; i < leaves; i++) {
      batch.add(entry(i));
      if (batch.size() == 10_000 || i == leaves - 1) {
        log.appendAll(batch);
        batch.clear();
      }
    }
    size = log.size();
    root = log.head().root();
    SplittableRandom random = new SplittableRandom(42);
    indexes = new long[SAMPLES];
    oldSizes = new long[SAMPLES];
    leafHashes = new Sha256Hash[SAMPLES];
    oldRoots = new Sha256Hash[SAMPLES];
    inclusionProofs = new ArrayList<>();
    consistencyProofs = new ArrayList<>();
    for (int i = 0; i < SAMPLES; i++) {
      indexes[i] = random.nextLong(size);
      oldSizes[i] = 1 + random.nextLong(size - 1);
      leafHashes[i] = MerkleHashes.leafHash(entry(indexes[i]));
      oldRoots[i] = log.root(oldSizes[i]);
      inclusionProofs.add(log.inclusionProof(indexes[i], size));
      consistencyProofs.add(log.consistencyProof(oldSizes[i], size));
      if (!verifyInclusionAt(i) || !verifyConsistencyAt(i)) {
        throw new IllegalStateException("fixture proof " + i + " does not verify");
      }
    }
    System.out.printf(
        "%n[TransparencyLogBench] %,d leaves built in %.1f s; proof lengths %d (inclusion), %d (consistency)%n",
        size,
        (System.nanoTime() - start) / 1e9,
        inclusionProofs.get(0).size(),
        consistencyProofs.get(0).size());
  }

  @TearDown
  public void tearDown() {
    log.close();
  }

  private int nextSample() {
    next = (next + 1) & (SAMPLES - 1);
    return next;
  }

  private boolean verifyInclusionAt(int i) {
    return MerkleProofs.verifyInclusion(
        leafHashes[i], indexes[i], size, inclusionProofs.get(i), root);
  }

  private boolean verifyConsistencyAt(int i) {
    return MerkleProofs.verifyConsistency(
        oldSizes[i], size, oldRoots[i], root, consistencyProofs.get(i));
  }

  /** Audit path of a random leaf in the full tree. */
  @Benchmark
  public List<Sha256Hash> inclusionProof() {
    int i = nextSample();
    return log.inclusionProof(indexes[i], size);
  }

  /** Offline check of a stored inclusion proof (about 20 node hashes). */
  @Benchmark
  public boolean verifyInclusion() {
    return verifyInclusionAt(nextSample());
  }

  /** Generation and verification together: what a prove-on-request round trip costs in CPU. */
  @Benchmark
  public boolean inclusionProveAndVerify() {
    int i = nextSample();
    List<Sha256Hash> proof = log.inclusionProof(indexes[i], size);
    return MerkleProofs.verifyInclusion(leafHashes[i], indexes[i], size, proof, root);
  }

  /** Consistency proof from a random older size to the full tree. */
  @Benchmark
  public List<Sha256Hash> consistencyProof() {
    int i = nextSample();
    return log.consistencyProof(oldSizes[i], size);
  }

  /** Offline check of a stored consistency proof. */
  @Benchmark
  public boolean verifyConsistency() {
    return verifyConsistencyAt(nextSample());
  }

  /** Root of a random historical size (what signing an old checkpoint or a monitor needs). */
  @Benchmark
  public Sha256Hash historicalRoot() {
    return log.root(oldSizes[nextSample()]);
  }
}
