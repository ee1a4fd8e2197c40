package dev.handshake.bench;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.relay.FrameOutcome;
import dev.handshake.relay.KeepPackets;
import dev.handshake.relay.RelayConfig;
import dev.handshake.relay.RelayConnection;
import dev.handshake.relay.RelayEngine;
import dev.handshake.relay.RelayPeer;
import dev.handshake.relay.proto.Packet;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;
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
 * The relay's whole per-packet work without a network: {@link RelayConnection#receive} of a
 * typical 165-byte frame payload (rate-limit check, protobuf parse, canonical re-encode,
 * Ed25519 verify with the connection's cached key, replay cache, registration, then the {@code
 * done} reply serialised or the packet re-serialised for the sink), into a peer whose {@code
 * send} does nothing. Packets are pre-signed and unique ({@value #POOL} per thread), so with the
 * replay cache on ({@code replay=on}, the default 10-minute window) none of them is a replay.
 * The {@code step*} benchmarks time the pieces of that work one by one ({@code -p size=60k}: for
 * a 60,000-byte body). Run: {@code java -jar
 * handshake-bench/target/benchmarks.jar KeepVerifyBench} ({@code -t 2} for two connections on two
 * threads).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class KeepVerifyBench {
  /** Pre-signed packets per thread: more than one thread receives in a trial (≈13 s). */
  static final int POOL = 300_000;

  /** One engine shared by the benchmark threads, with a sink connection registered. */
  @State(Scope.Benchmark)
  public static class Engine {
    /** {@code server}: answered {@code done}; {@code route}: forwarded to a registered sink. */
    @Param({"server", "route"})
    public String dst;

    /** {@code on}: default 10-minute replay cache; {@code off}: {@code replayWindow=0}. */
    @Param({"on", "off"})
    public String replay;

    /** {@code one}: every packet of a connection has the same key; {@code fresh}: a new key each. */
    @Param({"one"})
    public String keys;

    RelayEngine engine;
    final AtomicInteger threads = new AtomicInteger();
    final Map<FrameOutcome, LongAdder> outcomes = new EnumMap<>(FrameOutcome.class);

    @Setup(Level.Trial)
    public void setup() {
      RelayConfig config =
          RelayConfig.builder()
              .connectionFramesPerSecond(100_000_000)
              .addressFramesPerSecond(100_000_000)
              .replayWindow(replay.equals("on") ? Duration.ofMinutes(10) : Duration.ZERO)
              .build();
      engine = new RelayEngine(config, Clock.systemUTC());
      for (FrameOutcome o : FrameOutcome.values()) {
        outcomes.put(o, new LongAdder());
      }
      RelayConnection sink = engine.open(new NoopPeer()).orElseThrow();
      Packet hello =
          KeepFixtures.typical(KeepFixtures.key(99), KeepFixtures.id("sink-", 0), "bot:sink", "server", 165);
      if (sink.receive(hello.toByteArray()) != FrameOutcome.ANSWERED) {
        throw new IllegalStateException("sink not registered");
      }
    }

    @TearDown(Level.Trial)
    public void report() {
      StringBuilder b = new StringBuilder("\n[KeepVerifyBench] outcomes:");
      outcomes.forEach((o, n) -> {
        if (n.sum() > 0) {
          b.append(' ').append(o).append('=').append(n.sum());
        }
      });
      System.out.println(b + " " + engine.stats());
    }
  }

  /** One connection per benchmark thread, with its own src, key(s) and unique pre-signed packets. */
  @State(Scope.Thread)
  public static class Connection {
    RelayConnection connection;
    byte[][] payloads;
    int next;
    long wraps;
    final long[] outcomeCounts = new long[FrameOutcome.values().length];

    @Setup(Level.Trial)
    public void setup(Engine e) {
      int t = e.threads.getAndIncrement();
      connection = e.engine.open(new NoopPeer()).orElseThrow();
      String src = "bot:sender-" + t;
      String dst = e.dst.equals("route") ? "bot:sink" : "server";
      Ed25519PrivateKey one = KeepFixtures.key(1000 + t);
      boolean fresh = e.keys.equals("fresh");
      payloads = new byte[POOL][];
      IntStream.range(0, POOL)
          .parallel()
          .forEach(
              i -> {
                Ed25519PrivateKey k = fresh ? KeepFixtures.key(((long) t << 32) + i + 1_000_000) : one;
                payloads[i] =
                    KeepFixtures.typical(k, KeepFixtures.id("t" + t + "-", i), src, dst, KeepFixtures.TYPICAL_PACKET_BYTES)
                        .toByteArray();
              });
    }

    byte[] nextPayload() {
      if (next == payloads.length) {
        next = 0;
        wraps++;
      }
      return payloads[next++];
    }

    @TearDown(Level.Trial)
    public void report(Engine e) {
      for (FrameOutcome o : FrameOutcome.values()) {
        e.outcomes.get(o).add(outcomeCounts[o.ordinal()]);
      }
      if (wraps > 0) {
        System.out.println("\n[KeepVerifyBench] WARNING: pool of " + POOL + " wrapped " + wraps
            + " time(s); later packets were replays");
      }
    }
  }

  @Benchmark
  public FrameOutcome receive(Connection c) {
    FrameOutcome o = c.connection.receive(c.nextPayload());
    c.outcomeCounts[o.ordinal()]++;
    return o;
  }

  /** One typical packet, for timing the steps of {@link #receive} separately. */
  @State(Scope.Thread)
  public static class Steps {
    /** {@code typical}: the 165-byte packet; {@code 60k}: a 60,000-byte body. */
    @Param({"typical"})
    public String size;

    byte[] wire;
    Packet parsed;
    byte[] signPayload;
    byte[] sig;
    byte[] pk;
    Ed25519PublicKey key;

    @Setup
    public void setup() {
      Packet p =
          size.equals("60k")
              ? KeepFixtures.signed(KeepFixtures.key(7), KeepFixtures.id("step-", 1), "bot:alice", "server", "x".repeat(60_000))
              : KeepFixtures.typical(KeepFixtures.key(7), KeepFixtures.id("step-", 1), "bot:alice", "server", 165);
      wire = p.toByteArray();
      parsed = p;
      signPayload = KeepPackets.signPayload(p);
      sig = p.getSig().toByteArray();
      pk = p.getPk().toByteArray();
      key = Ed25519PublicKey.of(pk);
    }
  }

  /** {@code Packet.parseFrom} of the 165-byte frame payload. */
  @Benchmark
  public Packet stepParse(Steps s) throws Exception {
    return Packet.parseFrom(s.wire);
  }

  /** The canonical fields 3–10 re-encoded (what is verified). */
  @Benchmark
  public byte[] stepSignPayload(Steps s) {
    return KeepPackets.signPayload(s.parsed);
  }

  /** Ed25519 verify with the decoded key the connection caches. */
  @Benchmark
  public boolean stepVerify(Steps s) {
    return s.key.verify(s.signPayload, s.sig);
  }

  /** The replay cache's key: SHA-256 over pk and the canonical payload. */
  @Benchmark
  public byte[] stepReplayDigest(Steps s) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(s.pk);
    return sha.digest(s.signPayload);
  }

  /** The {@code done} reply built and serialised. */
  @Benchmark
  public byte[] stepReply(Steps s) {
    return KeepPackets.reply(s.parsed.getId(), KeepPackets.DONE).toByteArray();
  }

  /** A forward's re-serialisation of the received packet. */
  @Benchmark
  public byte[] stepForwardSerialize(Steps s) {
    return KeepPackets.withoutUnknownFields(s.parsed).toByteArray();
  }

  /** A peer that accepts every frame and drops it. */
  static final class NoopPeer implements RelayPeer {
    long sent;

    @Override
    public boolean send(byte[] packetBytes) {
      sent += packetBytes.length;
      return true;
    }

    @Override
    public void close() {}

    @Override
    public String remoteHost() {
      return "127.0.0.1";
    }

    @Override
    public String remoteAddress() {
      return "127.0.0.1:1";
    }
  }
}
