package dev.handshake.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.relay.InMemoryPinStore;
import dev.handshake.relay.KeepPackets;
import dev.handshake.relay.RelayCluster;
import dev.handshake.relay.RelayConfig;
import dev.handshake.relay.RelayEngine;
import dev.handshake.relay.proto.Packet;
import dev.handshake.store.redis.EmbeddedRedis;
import dev.handshake.store.redis.RedisConnection;
import dev.handshake.store.redis.RedisRelayRouter;
import dev.handshake.store.redis.RedisReplayStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two relay servers — two Netty listeners on loopback, each with its own engine, Redis connection
 * and {@link RedisRelayRouter}, sharing a {@link RedisReplayStore} — and agents on plain keep
 * sockets: what one server's agent sends reaches the other server's agent byte for byte.
 */
@Timeout(60)
class TwoNodeRelayTcpTest {
  static final Duration RECOVERY = Duration.ofSeconds(20);
  static EmbeddedRedis redis;

  final List<AutoCloseable> resources = new ArrayList<>();
  final KeepAgents agents = KeepAgents.withIdPrefix("tcp");
  RelayListener serverA;
  RelayListener serverB;

  @BeforeAll
  static void startRedis() {
    redis = EmbeddedRedis.startOnFreePort();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void startServers() throws InterruptedException {
    redis.flushAll();
    serverA = server("a");
    serverB = server("b");
  }

  @AfterEach
  void stopServers() throws Exception {
    for (AutoCloseable r : resources.reversed()) {
      r.close();
    }
  }

  /** What `handshake serve --redis` would assemble for one node (see docs/RELAY.md). */
  RelayListener server(String nodeId) throws InterruptedException {
    RedisConnection connection =
        RedisConnection.open(
            redis.url(),
            RedisConnection.Options.DEFAULTS
                .withCommandTimeout(Duration.ofMillis(500))
                .withMaxReconnectDelay(Duration.ofMillis(200)));
    resources.add(connection);
    RedisRelayRouter router =
        RedisRelayRouter.create(
            connection,
            nodeId,
            RedisRelayRouter.Options.DEFAULTS.withLeaseTime(
                Duration.ofSeconds(3), Duration.ofMillis(200)));
    resources.add(router);
    RelayEngine engine =
        new RelayEngine(
            RelayConfig.defaults(),
            Clock.systemUTC(),
            null,
            new InMemoryPinStore(),
            RelayCluster.shared(router, RedisReplayStore.create(connection, "relay", 1_000_000)));
    RelayListener listener = RelayListener.start("127.0.0.1", 0, engine);
    resources.add(listener);
    return listener;
  }

  KeepWire connect(RelayListener server) throws IOException {
    KeepWire wire = new KeepWire(new InetSocketAddress("127.0.0.1", server.port()));
    resources.add(wire);
    return wire;
  }

  Packet signed(Ed25519PrivateKey key, String src, String dst, String body) {
    return agents.signed(key, src, dst, body);
  }

  KeepWire register(RelayListener server, Ed25519PrivateKey key, String src) throws IOException {
    return agents.register(connect(server), key, src);
  }

  @Test
  void anAgentOnOneServerReachesAnAgentOnTheOtherServerAndBack() throws IOException {
    Ed25519PrivateKey aliceKey = KeepAgents.newKey();
    Ed25519PrivateKey bobKey = KeepAgents.newKey();
    KeepWire alice = register(serverA, aliceKey, "bot:alice");
    KeepWire bob = register(serverB, bobKey, "bot:bob");
    Packet toBob = signed(aliceKey, "bot:alice", "bot:bob", "hello from A");

    alice.send(toBob);

    assertThat(bob.readFrame()).as("byte-identical across servers").isEqualTo(toBob.toByteArray());
    bob.send(signed(bobKey, "bot:bob", "bot:alice", "hello from B"));
    Packet atAlice = alice.read();
    assertThat(atAlice.getBody()).isEqualTo("hello from B");
    assertThat(atAlice.getSrc()).isEqualTo("bot:bob");
    assertThat(serverA.engine().stats().routedOut()).isEqualTo(1);
    assertThat(serverB.engine().stats().routedIn()).isEqualTo(1);
  }

  @Test
  void discoveryOnEitherServerCountsAndListsTheAgentsOfBoth() throws IOException {
    Ed25519PrivateKey aliceKey = KeepAgents.newKey();
    KeepWire alice = register(serverA, aliceKey, "bot:alice");
    register(serverB, KeepAgents.newKey(), "bot:bob");

    alice.send(signed(aliceKey, "bot:alice", "discover:info", ""));
    String info = alice.read().getBody();
    alice.send(signed(aliceKey, "bot:alice", "discover:agents", ""));
    String agents = alice.read().getBody();

    assertThat(info).contains("\"agents_online\":2");
    assertThat(agents).isEqualTo("{\"agents\":[\"bot:alice\",\"bot:bob\"]}");
  }

  @Test
  void aFrameReplayedToTheOtherServerIsNotDeliveredAgain() throws IOException {
    Ed25519PrivateKey aliceKey = KeepAgents.newKey();
    KeepWire alice = register(serverA, aliceKey, "bot:alice");
    KeepWire bob = register(serverB, KeepAgents.newKey(), "bot:bob");
    Packet captured = signed(aliceKey, "bot:alice", "bot:bob", "pay 10");
    alice.send(captured);
    assertThat(bob.read().getBody()).isEqualTo("pay 10");

    KeepWire attacker = connect(serverB);
    attacker.send(captured);
    alice.send(signed(aliceKey, "bot:alice", "bot:bob", "sentinel"));

    assertThat(bob.read().getBody())
        .as("the replay sent before the sentinel was dropped")
        .isEqualTo("sentinel");
    assertThat(attacker.readWithin(200)).as("a refused replay is not answered").isEmpty();
  }

  @Test
  void whileRedisIsStoppedForwardsToTheOtherServerFailAndAfterwardsTheyFlowAgain()
      throws IOException {
    Ed25519PrivateKey aliceKey = KeepAgents.newKey();
    KeepWire alice = register(serverA, aliceKey, "bot:alice");
    KeepWire bob = register(serverB, KeepAgents.newKey(), "bot:bob");

    redis.stop();
    try {
      alice.send(signed(aliceKey, "bot:alice", "bot:bob", "while down"));
      Packet reply = alice.read();
      assertThat(reply.getBody()).isEqualTo(KeepPackets.ERROR_DELIVERY_FAILED);
      assertThat(reply.getSrc()).isEqualTo(KeepPackets.SERVER);
    } finally {
      redis.start();
    }

    await()
        .atMost(RECOVERY)
        .ignoreExceptions()
        .untilAsserted(() -> {
          alice.send(signed(aliceKey, "bot:alice", "bot:bob", "after restart"));
          assertThat(alice.readWithin(300)).as("no error reply").isEmpty();
        });
    Packet atBob = bob.read();
    while (atBob.getTyp() == KeepPackets.TYP_HEARTBEAT) {
      atBob = bob.read();
    }
    assertThat(atBob.getBody()).isEqualTo("after restart");
  }
}
