package dev.handshake.bench;

import dev.handshake.crypto.Base64Text;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.delegation.AgentRegistry;
import dev.handshake.delegation.CapabilityAuthority;
import dev.handshake.delegation.CapabilityChainPolicy;
import dev.handshake.delegation.CapabilityDerivation;
import dev.handshake.delegation.CapabilityGate;
import dev.handshake.delegation.CapabilityGrant;
import dev.handshake.delegation.CapabilityTokens;
import dev.handshake.delegation.Decision;
import dev.handshake.delegation.DelegationCapability;
import dev.handshake.delegation.HandoffConfig;
import dev.handshake.delegation.HandoffReceiver;
import dev.handshake.delegation.HandoffTime;
import dev.handshake.delegation.InMemoryReplayStore;
import dev.handshake.delegation.IssuerKeys;
import dev.handshake.delegation.Permissions;
import dev.handshake.delegation.SignedTaskPacket;
import dev.handshake.delegation.TaskPacketBuilder;
import dev.handshake.identity.AgentIds;
import dev.handshake.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hand-offs verified and decided per second on one thread, against the raw Ed25519 verify rate
 * measured in the same run (issue 5 target: a single packet at ≥ 85 % of the verify-bound ceiling,
 * i.e. of {@code verify}).
 *
 * <ul>
 *   <li>{@code verify}: BouncyCastle Ed25519 over a typical packet's signing payload, key decoded
 *       once (the baseline).
 *   <li>{@code receiveSingle}: {@link HandoffReceiver#receive(String)} of a signed packet's wire
 *       text — parse, canonical bytes, signature, time, identity, audience, chain, replay (in
 *       memory): one Ed25519 verify per decision.
 *   <li>{@code receiveThreeHop}: a packet whose capability token is the leaf of a three-capability
 *       chain carried in its context (root A → B → C → D): four verifies per decision, so its
 *       ceiling is {@code verify / 4}.
 * </ul>
 *
 * Run: {@code java -jar handshake-bench/target/benchmarks.jar DelegationBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class DelegationBench {
  private static final int PACKETS = 60_000;
  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private Ed25519PublicKey pub;
  private byte[] payload;
  private byte[] signature;
  private String[] single;
  private String[] threeHop;
  private int next;
  private HandoffReceiver singleReceiver;
  private HandoffReceiver chainReceiver;
  private CapabilityAuthority authority;
  private String agentB;
  private String agentD;
  private SignedTaskPacket parsedFirst;

  @Setup(Level.Trial)
  public void setup() {
    Ed25519PrivateKey a = KeepFixtures.key(1);
    Ed25519PrivateKey b = KeepFixtures.key(2);
    Ed25519PrivateKey c = KeepFixtures.key(3);
    Ed25519PrivateKey d = KeepFixtures.key(4);
    String agentA = AgentIds.trustHandoff(a.publicKey());
    agentB = AgentIds.trustHandoff(b.publicKey());
    String agentC = AgentIds.trustHandoff(c.publicKey());
    agentD = AgentIds.trustHandoff(d.publicKey());
    ObjectNode context = Json.object();
    context.put("company", "Example Corp");
    context.put("ticket", 4711);
    Clock issue = Clock.fixed(NOW.minusSeconds(5), ZoneOffset.UTC);
    single = new String[PACKETS];
    for (int i = 0; i < PACKETS; i++) {
      single[i] = TaskPacketBuilder.from(a).to(agentB).intent("Research company background")
          .actions(List.of("read", "search")).maxToolCalls(3).context(context).sign(issue).toWire();
    }
    SignedTaskPacket first = TaskPacketBuilder.from(a).to(agentB).intent("Research company background")
        .actions(List.of("read", "search")).maxToolCalls(3).context(context).sign(issue);
    pub = a.publicKey();
    parsedFirst = first;
    payload = first.signingPayload();
    signature = Base64Text.decodeStrict(first.signature()).orElseThrow();

    HandoffTime from = HandoffTime.utc(NOW.minusSeconds(60));
    HandoffTime to = HandoffTime.utc(NOW.plus(Duration.ofHours(1)));
    List<String> actions = List.of("read", "search");
    DelegationCapability root = CapabilityDerivation.root(agentA,
        CapabilityGrant.of("cap-1", agentB, Permissions.of(actions, 10), from, to), a);
    DelegationCapability mid = CapabilityDerivation.derive(root,
        CapabilityGrant.of("cap-2", agentC, Permissions.of(actions, 5), from, to), b);
    DelegationCapability leaf = CapabilityDerivation.derive(mid,
        CapabilityGrant.of("cap-3", agentD, Permissions.of(List.of("search"), 2), from, to), c);
    ObjectNode chainContext = Json.object();
    chainContext.putArray(CapabilityAuthority.CHAIN_KEY)
        .add(CapabilityTokens.encode(root)).add(CapabilityTokens.encode(mid));
    threeHop = new String[PACKETS];
    for (int i = 0; i < PACKETS; i++) {
      threeHop[i] = TaskPacketBuilder.from(c).to(agentD).intent("search")
          .actions(List.of("search")).maxToolCalls(1).capabilityToken(CapabilityTokens.encode(leaf))
          .context(chainContext).sign(issue).toWire();
    }
    authority = new CapabilityAuthority(
        CapabilityChainPolicy.of(IssuerKeys.registryOrDerived(Map.of()), Set.of(agentA), CLOCK));
  }

  @Setup(Level.Iteration)
  public void freshReceivers() {
    next = 0;
    singleReceiver = new HandoffReceiver(HandoffConfig.defaults(), Set.of(agentB), new AgentRegistry(),
        new InMemoryReplayStore(), CapabilityGate.NO_TRUST_ANCHORS, CLOCK, true);
    chainReceiver = new HandoffReceiver(HandoffConfig.defaults(), Set.of(agentD), new AgentRegistry(),
        new InMemoryReplayStore(), authority, CLOCK, true);
  }

  /** Fresh receivers once every packet was received, so that none is decided as a replay. */
  void renewWhenSpent() {
    if (next >= PACKETS) {
      freshReceivers();
    }
  }

  @Benchmark
  public boolean verify() {
    return pub.verify(payload, signature);
  }

  /** Component: the receiver's parse of one packet's text into the model. */
  @Benchmark
  public SignedTaskPacket parseOnly() throws Exception {
    return SignedTaskPacket.parse(
        dev.handshake.json.CanonicalJson.parseKeepingFloatText(single[next++ % PACKETS], 64));
  }

  /** Component: rebuilding the §2.3 signed bytes from a parsed packet. */
  @Benchmark
  public byte[] signingPayloadOnly() {
    return parsedFirst.signingPayload();
  }

  @Benchmark
  public Decision receiveSingle() {
    Decision d = singleReceiver.receive(single[next++ % PACKETS]);
    if (next <= PACKETS && !d.accepted()) {
      throw new IllegalStateException("benchmark packet refused: " + d);
    }
    return d;
  }

  @Benchmark
  public Decision receiveThreeHop() {
    Decision d = chainReceiver.receive(threeHop[next++ % PACKETS]);
    if (next <= PACKETS && !d.accepted()) {
      throw new IllegalStateException("benchmark packet refused: " + d);
    }
    return d;
  }
}
