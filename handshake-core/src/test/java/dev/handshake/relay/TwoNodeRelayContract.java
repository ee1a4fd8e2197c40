package dev.handshake.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.UnknownFieldSet;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.delegation.ReplayStore;
import dev.handshake.json.Json;
import dev.handshake.relay.proto.Packet;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Two relay engines — two nodes without their transports — sharing a {@link RelayRouter} and a
 * replay memory; extended once per router implementation. Agents are {@link RecordingPeer}s: what a
 * node sends to a connection is what its socket would get.
 */
abstract class TwoNodeRelayContract {
  static final Duration DELIVERY = Duration.ofSeconds(10);
  static final SecureRandom RANDOM = new SecureRandom();

  private final AtomicInteger ports = new AtomicInteger(41000);
  private final AtomicInteger ids = new AtomicInteger();
  private RelayCluster clusterA;
  private RelayCluster clusterB;
  private final List<RelayCluster> moreClusters = new ArrayList<>();
  protected RelayEngine nodeA;
  protected RelayEngine nodeB;

  /**
   * One node's share of this test's deployment: a router of the deployment, and the replay memory
   * every node of it shares. Routers renew only when told to (so that leases can lapse).
   */
  protected abstract RelayCluster cluster(String nodeId);

  /** Lets the routers' leases lapse without renewals. */
  protected abstract void letLeasesLapse() throws Exception;

  protected RelayConfig config() {
    return RelayConfig.builder().heartbeatInterval(Duration.ZERO).build();
  }

  @BeforeEach
  void startNodes() {
    clusterA = cluster("a");
    clusterB = cluster("b");
    nodeA = new RelayEngine(config(), Clock.systemUTC(), null, new InMemoryPinStore(), clusterA);
    nodeB = new RelayEngine(config(), Clock.systemUTC(), null, new InMemoryPinStore(), clusterB);
  }

  @AfterEach
  void stopNodes() {
    moreClusters.add(clusterA);
    moreClusters.add(clusterB);
    for (RelayCluster c : moreClusters) {
      c.router().ifPresent(RelayRouter::close);
      c.replay().ifPresent(ReplayStore::close);
    }
  }

  /** A further node of the deployment, {@code "c"}, with its own configuration. */
  protected RelayEngine nodeC(RelayConfig config) {
    RelayCluster c = cluster("c");
    moreClusters.add(c);
    return new RelayEngine(config, Clock.systemUTC(), null, new InMemoryPinStore(), c);
  }

  /** One agent's connection to one node. */
  protected final class Agent {
    final String name;
    final Ed25519PrivateKey key;
    final RelayConnection connection;
    final RecordingPeer peer;

    Agent(RelayEngine node, String name, Ed25519PrivateKey key) {
      this.name = name;
      this.key = key;
      this.peer = new RecordingPeer("127.0.0.1", ports.incrementAndGet());
      this.connection = node.open(peer).orElseThrow();
    }

    Packet packet(String dst, String body) {
      return KeepPackets.sign(
          Packet.newBuilder()
              .setId("m" + ids.incrementAndGet())
              .setSrc(name)
              .setDst(dst)
              .setBody(body)
              .build(),
          key);
    }

    FrameOutcome send(String dst, String body) {
      return connection.receive(packet(dst, body).toByteArray());
    }

    FrameOutcome send(Packet packet) {
      return connection.receive(packet.toByteArray());
    }

    void awaitBody(String body) {
      await().atMost(DELIVERY).until(() -> peer.bodies().contains(body));
    }

    /** Asks {@code discover:<query>} and returns the JSON reply. */
    JsonNode discover(String query) {
      assertThat(send("discover:" + query, "")).isEqualTo(FrameOutcome.ANSWERED);
      List<String> bodies = peer.bodies();
      return Json.mapper().readTree(bodies.get(bodies.size() - 1));
    }
  }

  /** An agent registered on {@code node} (it pinged the server and got {@code done}). */
  protected Agent online(RelayEngine node, String name) {
    return online(node, name, Ed25519PrivateKey.generate(RANDOM));
  }

  protected Agent online(RelayEngine node, String name, Ed25519PrivateKey key) {
    Agent agent = new Agent(node, name, key);
    assertThat(agent.send("server", "hello")).isEqualTo(FrameOutcome.ANSWERED);
    assertThat(agent.peer.bodies()).as("registration of " + name).endsWith("done");
    return agent;
  }

  @Test
  void anAgentOnOneNodeReachesAnAgentOnTheOtherNodeAndBack() {
    Agent alice = online(nodeA, "bot:alice");
    Agent bob = online(nodeB, "bot:bob");
    Packet toBob = alice.packet("bot:bob", "hi bob");

    assertThat(alice.send(toBob)).isEqualTo(FrameOutcome.FORWARDED);
    await().atMost(DELIVERY).until(() -> bob.peer.frames().size() == 2);
    assertThat(bob.peer.frames().get(1))
        .as("byte-identical, signature intact")
        .isEqualTo(toBob.toByteArray());

    assertThat(bob.send("bot:alice", "hi alice")).isEqualTo(FrameOutcome.FORWARDED);
    alice.awaitBody("hi alice");

    assertThat(alice.peer.bodies())
        .as("a forward is never acknowledged")
        .containsExactly("done", "hi alice");
    assertThat(nodeA.stats().routedOut()).isEqualTo(1);
    assertThat(nodeA.stats().routedIn()).isEqualTo(1);
    assertThat(nodeB.stats().routedIn()).isEqualTo(1);
  }

  @Test
  void aForwardToANameNoNodeHoldsIsAnsweredOffline() {
    Agent alice = online(nodeA, "bot:alice");
    online(nodeB, "bot:bob");

    alice.send("bot:nobody", "x");

    assertThat(alice.peer.bodies()).containsExactly("done", KeepPackets.ERROR_OFFLINE);
  }

  @Test
  void aForwardBetweenAgentsOfOneNodeStaysOnThatNode() {
    Agent alice = online(nodeA, "bot:alice");
    Agent carol = online(nodeA, "bot:carol");

    assertThat(alice.send("bot:carol", "local")).isEqualTo(FrameOutcome.FORWARDED);

    assertThat(carol.peer.bodies()).as("delivered synchronously").containsExactly("done", "local");
    assertThat(nodeA.stats().routedOut()).isZero();
  }

  @Test
  void aPacketOneNodeAcceptedIsARefusedReplayOnTheOther() {
    Agent alice = online(nodeA, "bot:alice");
    Agent bob = online(nodeB, "bot:bob");
    Agent attacker = new Agent(nodeB, "bot:attacker", Ed25519PrivateKey.generate(RANDOM));
    Packet captured = alice.packet("bot:bob", "pay 10");
    assertThat(alice.send(captured)).isEqualTo(FrameOutcome.FORWARDED);
    bob.awaitBody("pay 10");

    assertThat(attacker.send(captured)).isEqualTo(FrameOutcome.DROPPED_REPLAY);

    alice.send("bot:bob", "sentinel");
    bob.awaitBody("sentinel");
    assertThat(bob.peer.bodies())
        .as("delivered once")
        .containsExactly("done", "pay 10", "sentinel");
    assertThat(nodeB.stats().replays()).isEqualTo(1);
  }

  @Test
  void aRegistrationReplayedOnTheOtherNodeDoesNotMoveTheName() {
    Ed25519PrivateKey aliceKey = Ed25519PrivateKey.generate(RANDOM);
    Agent alice = new Agent(nodeA, "bot:alice", aliceKey);
    Packet registration = alice.packet("server", "hello");
    alice.send(registration);
    Agent attacker = new Agent(nodeB, "bot:attacker", Ed25519PrivateKey.generate(RANDOM));
    Agent bob = online(nodeB, "bot:bob");

    assertThat(attacker.send(registration)).isEqualTo(FrameOutcome.ANSWERED);
    assertThat(attacker.peer.bodies())
        .as("a replay to server is still answered")
        .containsExactly("done");
    bob.send("bot:alice", "for alice");

    alice.awaitBody("for alice");
    assertThat(attacker.peer.bodies()).containsExactly("done");
    assertThat(alice.peer.closed).isFalse();
  }

  @Test
  void anotherKeyCannotUseANameHeldOnTheOtherNode() {
    Agent alice = online(nodeA, "bot:alice");
    online(nodeB, "bot:bob");
    Agent mallory = new Agent(nodeB, "bot:alice", Ed25519PrivateKey.generate(RANDOM));

    assertThat(mallory.send("server", "ping")).isEqualTo(FrameOutcome.ANSWERED);
    mallory.send("bot:bob", "as alice");

    assertThat(mallory.peer.bodies()).containsExactly("done", KeepPackets.ERROR_IDENTITY_CONFLICT);
    assertThat(alice.peer.closed).as("the holder keeps its connection").isFalse();
  }

  @Test
  void theSameKeyReconnectingOnTheOtherNodeTakesItsNameOverAndTheOldConnectionIsClosed() {
    Ed25519PrivateKey aliceKey = Ed25519PrivateKey.generate(RANDOM);
    Agent oldAlice = online(nodeA, "bot:alice", aliceKey);
    Agent carol = online(nodeA, "bot:carol");

    Agent newAlice = online(nodeB, "bot:alice", aliceKey);

    await().atMost(DELIVERY).until(() -> oldAlice.peer.closed);
    carol.send("bot:alice", "where are you");
    newAlice.awaitBody("where are you");
    assertThat(oldAlice.peer.bodies()).containsExactly("done");
  }

  @Test
  void theNamesOfANodeThatStopsRenewingVanish() throws Exception {
    Agent alice = online(nodeA, "bot:alice");
    online(nodeB, "bot:bob");

    letLeasesLapse();
    alice.send("bot:bob", "anyone?");

    assertThat(alice.peer.bodies()).containsExactly("done", KeepPackets.ERROR_OFFLINE);
  }

  @Test
  void whenAnAgentLeavesItsNameIsOfflineFromEveryNode() {
    Agent alice = online(nodeA, "bot:alice");
    Agent bob = online(nodeB, "bot:bob");

    bob.connection.closed();

    await()
        .atMost(DELIVERY)
        .until(() -> {
          alice.send("bot:bob", "gone?");
          return alice.peer.bodies().contains(KeepPackets.ERROR_OFFLINE);
        });
  }

  @Test
  void aReceiverWhoseQueueIsFullIsDisconnectedOnItsOwnNode() {
    Agent alice = online(nodeA, "bot:alice");
    Agent bob = online(nodeB, "bot:bob");
    bob.peer.refuseWrites = true;

    assertThat(alice.send("bot:bob", "too much"))
        .as("the sender cannot know: a forward has no acknowledgement")
        .isEqualTo(FrameOutcome.FORWARDED);

    await().atMost(DELIVERY).until(() -> bob.peer.closed);
    assertThat(nodeB.stats().deliveryFailed()).isEqualTo(1);
  }

  @Test
  void discoveryOnEitherNodeCountsAndListsTheAgentsOfBothNodes() {
    Agent alice = online(nodeA, "bot:alice");
    Agent bob = online(nodeB, "bot:bob");
    online(nodeB, "bot:carol");

    assertThat(alice.discover("info").path("agents_online").asLong()).isEqualTo(3);
    assertThat(Json.text(alice.discover("agents")))
        .isEqualTo("{\"agents\":[\"bot:alice\",\"bot:bob\",\"bot:carol\"]}");
    assertThat(bob.discover("info").path("agents_online").asLong()).isEqualTo(3);
    assertThat(Json.text(bob.discover("agents")))
        .isEqualTo("{\"agents\":[\"bot:alice\",\"bot:bob\",\"bot:carol\"]}");
  }

  @Test
  void discoveryForgetsAnAgentThatLeftAnotherNode() {
    Agent alice = online(nodeA, "bot:alice");
    Agent bob = online(nodeB, "bot:bob");

    bob.connection.closed();

    await()
        .atMost(DELIVERY)
        .untilAsserted(() ->
            assertThat(alice.discover("info").path("agents_online").asLong()).isEqualTo(1));
    assertThat(Json.text(alice.discover("agents"))).isEqualTo("{\"agents\":[\"bot:alice\"]}");
  }

  @Test
  void discoverAgentsListsAtMostTheConfiguredNumberWithTheQuerierAlwaysIncluded() {
    RelayEngine nodeC = nodeC(config().toBuilder().discoveryAgentsLimit(2).build());
    online(nodeA, "bot:alice");
    online(nodeB, "bot:bob");
    online(nodeB, "bot:carol");
    Agent zed = online(nodeC, "bot:zed");

    JsonNode agents = zed.discover("agents").path("agents");

    assertThat(agents.size()).isEqualTo(2);
    assertThat(agents.get(1).asString()).as("sorted, and the querier is one of them").isEqualTo("bot:zed");
    assertThat(agents.get(0).asString()).isIn("bot:alice", "bot:bob", "bot:carol");
    assertThat(zed.discover("info").path("agents_online").asLong())
        .as("the count is not capped")
        .isEqualTo(4);
  }

  @Test
  void unknownFieldsAreStrippedBeforeAPacketCrossesNodes() throws Exception {
    Agent alice = online(nodeA, "bot:alice");
    Agent bob = online(nodeB, "bot:bob");
    Packet signed = alice.packet("bot:bob", "clean");
    Packet tampered =
        signed.toBuilder()
            .setUnknownFields(
                UnknownFieldSet.newBuilder()
                    .addField(11, UnknownFieldSet.Field.newBuilder().addVarint(7).build())
                    .build())
            .build();

    alice.send(tampered);

    await().atMost(DELIVERY).until(() -> bob.peer.frames().size() == 2);
    assertThat(bob.peer.frames().get(1)).isEqualTo(signed.toByteArray());
  }
}
