package dev.handshake.bench;

import dev.handshake.audit.AgentChain;
import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.ChainReport;
import dev.handshake.audit.ChainVerifier;
import dev.handshake.audit.InMemoryAuditStore;
import dev.handshake.audit.VerifyOptions;
import dev.handshake.crypto.Base64Text;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.identity.IdentityDocument;
import dev.handshake.json.Json;
import dev.handshake.store.sqlite.SqliteAuditStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.node.ObjectNode;

/**
 * AISS stamping and chain verification against their Ed25519 ceilings (issue 4 targets: stamping
 * ≥ 80 % of the sign rate in memory; chain verification ≥ 90 % of cores × the single-core verify
 * rate). All figures are events per second:
 *
 * <ul>
 *   <li>{@code sign} / {@code verify}: raw BouncyCastle Ed25519 over a typical event's signing
 *       input, one thread (the baselines);
 *   <li>{@code stampInMemory}: {@link AgentChain#append} into an in-memory store (canonical JSON,
 *       hash, sign, link);
 *   <li>{@code stampDurable}: the same into SQLite (WAL, synchronous=FULL: one fsync per event);
 *   <li>{@code verifyChain}: {@link ChainVerifier} over a 10,000-event chain (signatures on all
 *       cores, then linkage, forks, replays).
 * </ul>
 *
 * Run: {@code java -jar handshake-bench/target/benchmarks.jar AuditBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class AuditBench {
  static final int CHAIN = 10_000;
  private Ed25519PrivateKey key;
  private Ed25519PublicKey pub;
  private byte[] input;
  private byte[] signature;
  private ObjectNode payload;
  private AgentChain memory;
  private List<AuditEvent> events;
  private IdentityDocument identity;
  private ChainVerifier verifier;
  private Path dir;
  private SqliteAuditStore sqlite;
  private AgentChain durable;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    key = KeepFixtures.key(1);
    pub = key.publicKey();
    payload = Json.object();
    payload.put("event_type", "tool_call");
    payload.put("tool", "search");
    payload.put("query_hash", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    payload.put("duration_ms", 412);
    AgentChain chain = AgentChain.open(key, new InMemoryAuditStore(), Clock.systemUTC());
    for (int i = 0; i < CHAIN; i++) {
      chain.append(payload);
    }
    events = chain.events();
    input = events.get(1).signingInput();
    signature = Base64Text.decodeStrict(events.get(1).signature()).orElseThrow();
    identity = chain.identity(0, Optional.empty());
    verifier = new ChainVerifier(VerifyOptions.ours());
    dir = Files.createTempDirectory("audit-bench");
    sqlite = SqliteAuditStore.open(dir);
    durable = AgentChain.open(key, sqlite, Clock.systemUTC());
  }

  @Setup(Level.Iteration)
  public void freshMemoryChain() {
    memory = AgentChain.open(key, new InMemoryAuditStore(), Clock.systemUTC());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    sqlite.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public byte[] sign() {
    return key.sign(input);
  }

  @Benchmark
  public boolean verify() {
    return pub.verify(input, signature);
  }

  @Benchmark
  public AuditEvent stampInMemory() {
    return memory.append(payload);
  }

  @Benchmark
  public AuditEvent stampDurable() {
    return durable.append(payload);
  }

  @Benchmark
  @OperationsPerInvocation(CHAIN)
  public ChainReport verifyChain() {
    // Fresh event objects each time, so no cached hash or signing input is reused.
    List<AuditEvent> copy = new ArrayList<>(events.size());
    for (AuditEvent e : events) {
      copy.add(AuditEvent.of(e.json()));
    }
    ChainReport report = verifier.verify(copy, identity, Optional.empty());
    if (!report.valid()) {
      throw new IllegalStateException("benchmark chain must verify");
    }
    return report;
  }
}
