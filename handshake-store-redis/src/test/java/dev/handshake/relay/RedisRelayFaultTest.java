package dev.handshake.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.delegation.ReplayStore;
import dev.handshake.relay.proto.Packet;
import dev.handshake.store.redis.EmbeddedRedis;
import dev.handshake.store.redis.RedisConnection;
import dev.handshake.store.redis.RedisRelayRouter;
import dev.handshake.store.redis.RedisReplayStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two relay engines on one Redis while Redis is stopped, hung and restarted: a forward to the other
 * node is answered {@code error:delivery_failed} (keep.md §2.6: the relay could not hand the packet
 * on) without hanging the sender's connection, packets to the server are still answered, and once
 * Redis is back routing resumes with the same engines, routers and connections. Every test has a
 * hard timeout far above the 300 ms route timeout it configures.
 */
@Timeout(60)
class RedisRelayFaultTest {
  static final Duration RECOVERY = Duration.ofSeconds(20);
  static final SecureRandom RANDOM = new SecureRandom();
  static final RedisConnection.Options FAST =
      RedisConnection.Options.DEFAULTS
          .withCommandTimeout(Duration.ofMillis(500))
          .withMaxReconnectDelay(Duration.ofMillis(200));
  static final RedisRelayRouter.Options ROUTER =
      RedisRelayRouter.Options.DEFAULTS
          .withLeaseTime(Duration.ofSeconds(3), Duration.ofMillis(200))
          .withRouteTimeout(Duration.ofMillis(300), Duration.ofMillis(200));

  final AtomicInteger ports = new AtomicInteger(42000);
  final AtomicInteger ids = new AtomicInteger();
  final List<AutoCloseable> resources = new ArrayList<>();
  EmbeddedRedis redis;

  @BeforeEach
  void startRedis() {
    redis = EmbeddedRedis.startOnFreePort();
  }

  @AfterEach
  void stopEverything() throws Exception {
    try {
      for (AutoCloseable r : resources.reversed()) {
        r.close();
      }
    } finally {
      redis.close();
    }
  }

  /** A node with its own connection and router, sharing the replay memory when asked to. */
  RelayEngine node(String nodeId, boolean sharedReplay) {
    RedisConnection c = RedisConnection.open(redis.url(), FAST);
    resources.add(c);
    RedisRelayRouter router = RedisRelayRouter.create(c, nodeId, ROUTER);
    resources.add(router);
    Optional<ReplayStore> replay =
        sharedReplay
            ? Optional.of(RedisReplayStore.create(c, "relay", 1_000_000))
            : Optional.empty();
    return new RelayEngine(
        RelayConfig.builder().heartbeatInterval(Duration.ZERO).build(),
        Clock.systemUTC(),
        null,
        new InMemoryPinStore(),
        new RelayCluster(Optional.of(router), replay));
  }

  record Agent(
      String name, Ed25519PrivateKey key, RelayConnection connection, RecordingPeer peer) {}

  Agent connect(RelayEngine node, String name) {
    RecordingPeer peer = new RecordingPeer("127.0.0.1", ports.incrementAndGet());
    return new Agent(name, Ed25519PrivateKey.generate(RANDOM), node.open(peer).orElseThrow(), peer);
  }

  Agent online(RelayEngine node, String name) {
    Agent agent = connect(node, name);
    send(agent, "server", "hello");
    assertThat(agent.peer().bodies()).containsExactly("done");
    return agent;
  }

  FrameOutcome send(Agent from, String dst, String body) {
    Packet p =
        KeepPackets.sign(
            Packet.newBuilder()
                .setId("f" + ids.incrementAndGet())
                .setSrc(from.name())
                .setDst(dst)
                .setBody(body)
                .build(),
            from.key());
    return from.connection().receive(p.toByteArray());
  }

  static String lastBody(Agent agent) {
    List<String> bodies = agent.peer().bodies();
    return bodies.getLast();
  }

  @Test
  void whileRedisIsStoppedAForwardToTheOtherNodeIsAnsweredDeliveryFailed() {
    RelayEngine a = node("a", false);
    RelayEngine b = node("b", false);
    Agent alice = online(a, "bot:alice");
    online(b, "bot:bob");

    redis.stop();

    assertThat(send(alice, "bot:bob", "x")).isEqualTo(FrameOutcome.ANSWERED);
    assertThat(lastBody(alice)).isEqualTo(KeepPackets.ERROR_DELIVERY_FAILED);
    assertThat(send(alice, "server", "ping")).isEqualTo(FrameOutcome.ANSWERED);
    assertThat(lastBody(alice)).as("the server still answers itself").isEqualTo("done");
    assertThat(a.stats().clusterUnavailable()).isPositive();
  }

  @Test
  void afterRedisRestartsRoutingResumesWithTheSameEnginesAndConnections() {
    RelayEngine a = node("a", true);
    RelayEngine b = node("b", true);
    Agent alice = online(a, "bot:alice");
    Agent bob = online(b, "bot:bob");
    redis.stop();
    send(alice, "bot:bob", "lost");
    assertThat(lastBody(alice)).isEqualTo(KeepPackets.ERROR_DELIVERY_FAILED);

    redis.start();

    await().atMost(RECOVERY).until(() -> send(alice, "bot:bob", "back") == FrameOutcome.FORWARDED);
    await().atMost(RECOVERY).until(() -> bob.peer().bodies().contains("back"));
    send(bob, "bot:alice", "welcome back");
    await().atMost(RECOVERY).until(() -> alice.peer().bodies().contains("welcome back"));
  }

  @Test
  void aHungRedisAnswersDeliveryFailedInsteadOfHangingTheSender() {
    RelayEngine a = node("a", false);
    RelayEngine b = node("b", false);
    Agent alice = online(a, "bot:alice");
    Agent bob = online(b, "bot:bob");

    redis.freeze();
    try {
      assertThat(send(alice, "bot:bob", "x")).isEqualTo(FrameOutcome.ANSWERED);
      assertThat(lastBody(alice)).isEqualTo(KeepPackets.ERROR_DELIVERY_FAILED);
    } finally {
      redis.thaw();
    }

    await().atMost(RECOVERY).until(() -> send(alice, "bot:bob", "after") == FrameOutcome.FORWARDED);
    await().atMost(RECOVERY).until(() -> bob.peer().bodies().contains("after"));
  }

  @Test
  void whileRedisIsAwayDiscoveryDescribesThisNodeAndAfterwardsEveryNodeAgain() {
    RelayEngine a = node("a", false);
    RelayEngine b = node("b", false);
    Agent alice = online(a, "bot:alice");
    online(b, "bot:bob");
    send(alice, "discover:info", "");
    assertThat(lastBody(alice)).contains("\"agents_online\":2");

    redis.stop();

    assertThat(send(alice, "discover:info", "")).isEqualTo(FrameOutcome.ANSWERED);
    assertThat(lastBody(alice)).as("this node's count").contains("\"agents_online\":1");
    send(alice, "discover:agents", "");
    assertThat(lastBody(alice)).isEqualTo("{\"agents\":[\"bot:alice\"]}");

    redis.start();

    // the renewals re-claim both nodes' names in the empty server, index included
    await()
        .atMost(RECOVERY)
        .until(() -> {
          send(alice, "discover:agents", "");
          return lastBody(alice).equals("{\"agents\":[\"bot:alice\",\"bot:bob\"]}");
        });
  }

  @Test
  void withoutASharedReplayMemoryAgentsOfOneNodeKeepTalkingWhileRedisIsAway() {
    RelayEngine a = node("a", false);
    node("b", false);
    Agent alice = online(a, "bot:alice");
    Agent carol = online(a, "bot:carol");

    redis.stop();

    assertThat(send(alice, "bot:carol", "local")).isEqualTo(FrameOutcome.FORWARDED);
    assertThat(carol.peer().bodies()).containsExactly("done", "local");
  }

  @Test
  void withASharedReplayMemoryEvenLocalForwardsFailClosedWhileRedisIsAway() {
    RelayEngine a = node("a", true);
    node("b", true);
    Agent alice = online(a, "bot:alice");
    Agent carol = online(a, "bot:carol");

    redis.stop();

    assertThat(send(alice, "bot:carol", "unprovable")).isEqualTo(FrameOutcome.ANSWERED);
    assertThat(lastBody(alice))
        .as("whether the packet is a replay from another node cannot be known")
        .isEqualTo(KeepPackets.ERROR_DELIVERY_FAILED);
    assertThat(carol.peer().bodies()).containsExactly("done");
  }

  @Test
  void aNewNameCannotBeClaimedWhileRedisIsAwayButCanAfterwards() {
    RelayEngine a = node("a", false);
    node("b", false);
    Agent alice = online(a, "bot:alice");
    redis.stop();
    Agent dave = connect(a, "bot:dave");

    assertThat(send(dave, "server", "hello")).isEqualTo(FrameOutcome.ANSWERED);
    send(dave, "bot:alice", "hi");

    assertThat(dave.peer().bodies())
        .as("answered, but not registered: another node might hold the name")
        .containsExactly("done", KeepPackets.ERROR_DELIVERY_FAILED);
    assertThat(alice.peer().bodies()).containsExactly("done");

    redis.start();
    await().atMost(RECOVERY).until(() -> send(dave, "bot:alice", "now") == FrameOutcome.FORWARDED);
    assertThat(alice.peer().bodies()).containsExactly("done", "now");
  }
}
