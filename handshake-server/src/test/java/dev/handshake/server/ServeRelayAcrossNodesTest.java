package dev.handshake.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.json.Json;
import dev.handshake.relay.KeepPackets;
import dev.handshake.relay.proto.Packet;
import dev.handshake.server.relay.KeepAgents;
import dev.handshake.server.relay.KeepWire;
import dev.handshake.store.redis.EmbeddedRedis;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The relay wiring of {@code handshake serve --redis} end to end: two real {@code serve} processes
 * on one Redis, each with its own data folder, HTTP port and relay port, and agents on plain keep
 * sockets. Unlike {@code TwoNodeRelayTcpTest}, which assembles the listeners by hand, this checks
 * what the command line builds (docs/RELAY.md "Several nodes").
 */
@Timeout(60)
class ServeRelayAcrossNodesTest {
  static final Duration START = Duration.ofSeconds(45);
  /** How long Redis may take to notice a killed node's subscription is gone (it is at once in practice). */
  static final Duration NOTICED = Duration.ofSeconds(10);
  static EmbeddedRedis redis;

  @TempDir Path dataA;
  @TempDir Path dataB;
  final KeepAgents agents = KeepAgents.withIdPrefix("serve");
  final List<AutoCloseable> opened = new ArrayList<>();
  InetSocketAddress relayA;
  InetSocketAddress relayB;
  ServeProcess nodeB;

  @BeforeAll
  static void startRedis() {
    redis = EmbeddedRedis.startOnFreePort();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void startNodes() {
    redis.flushAll();
    int portA = ServeProcess.freePort();
    int portB = ServeProcess.freePort();
    while (portB == portA) {
      portB = ServeProcess.freePort();
    }
    // both JVMs start at once; then wait for each
    ServeProcess nodeA = serve(dataA, portA);
    nodeB = serve(dataB, portB);
    relayA = awaitRelay(nodeA, portA);
    relayB = awaitRelay(nodeB, portB);
  }

  @AfterEach
  void stopNodes() throws Exception {
    for (AutoCloseable c : opened.reversed()) {
      c.close();
    }
  }

  ServeProcess serve(Path data, int relayPort) {
    ServeProcess node = ServeProcess.start(
        "--port", "0", "--no-demo", "--audit=false", "--pairing=false",
        "--relay-bind", "127.0.0.1", "--relay-port", Integer.toString(relayPort),
        "--data", data.toString(), "--redis", redis.url());
    opened.add(node);
    return node;
  }

  static InetSocketAddress awaitRelay(ServeProcess node, int relayPort) {
    node.awaitServing(START);
    assertThat(node.awaitLine(ServeProcess.RELAY, Duration.ofSeconds(5))).endsWith(":" + relayPort);
    assertThat(node.awaitLine("Shared state: ", Duration.ofSeconds(5))).contains("Redis at ");
    return new InetSocketAddress("127.0.0.1", relayPort);
  }

  KeepWire register(InetSocketAddress relay, Ed25519PrivateKey key, String src) throws IOException {
    KeepWire wire = new KeepWire(relay);
    opened.add(wire);
    return agents.register(wire, key, src);
  }

  @Test
  void agentsOnTwoServeNodesExchangeSignedPacketsByteForByteAndDiscoveryOnACountsBoth()
      throws IOException {
    Ed25519PrivateKey aliceKey = KeepAgents.newKey();
    Ed25519PrivateKey bobKey = KeepAgents.newKey();
    KeepWire alice = register(relayA, aliceKey, "bot:alice");
    KeepWire bob = register(relayB, bobKey, "bot:bob");
    Packet toBob = agents.signed(aliceKey, "bot:alice", "bot:bob", "hello from A");

    alice.send(toBob);

    assertThat(bob.readFrame()).as("the packet node A received, as node B hands it on")
        .isEqualTo(toBob.toByteArray());
    Packet toAlice = agents.signed(bobKey, "bot:bob", "bot:alice", "hello from B");
    bob.send(toAlice);
    assertThat(alice.readFrame()).as("the reply, as node A hands it on").isEqualTo(toAlice.toByteArray());

    alice.send(agents.signed(aliceKey, "bot:alice", "discover:info", ""));
    JsonNode info = Json.mapper().readTree(alice.read().getBody());
    alice.send(agents.signed(aliceKey, "bot:alice", "discover:agents", ""));
    JsonNode listed = Json.mapper().readTree(alice.read().getBody());
    assertThat(info.path("agents_online").asInt()).as("discover:info on node A: %s", info).isEqualTo(2);
    assertThat(listed.path("agents").valueStream().map(JsonNode::asString))
        .as("discover:agents on node A: %s", listed)
        .containsExactly("bot:alice", "bot:bob");
  }

  @Test
  void afterNodeBIsKilledWithSigkillAPacketToItsAgentIsAnsweredOffline() throws Exception {
    Ed25519PrivateKey aliceKey = KeepAgents.newKey();
    KeepWire alice = register(relayA, aliceKey, "bot:alice");
    KeepWire bob = register(relayB, KeepAgents.newKey(), "bot:bob");
    alice.send(agents.signed(aliceKey, "bot:alice", "bot:bob", "before"));
    assertThat(bob.read().getBody()).as("routing works before the kill").isEqualTo("before");

    assertThat(nodeB.kill()).as("killed by SIGKILL: node B releases nothing").isEqualTo(137);

    // bot:bob's claim outlives node B until its lease ends (15 s), but the send script publishes
    // on node B's channel, which nobody listens to once Redis has dropped the dead connection:
    // OFFLINE, answered error:offline (RELAY.md "Local first"), without waiting for the lease.
    // Until Redis notices, a packet is published into the void and gets no answer (as any forward).
    AtomicReference<Packet> sent = new AtomicReference<>();
    AtomicReference<Packet> answer = new AtomicReference<>();
    await().atMost(NOTICED).pollInterval(Duration.ZERO).untilAsserted(() -> {
      Packet toBob = agents.signed(aliceKey, "bot:alice", "bot:bob", "after the kill");
      sent.set(toBob);
      alice.send(toBob);
      answer.set(alice.readWithin(300).orElseThrow(() -> new AssertionError("no answer yet")));
    });

    assertThat(answer.get())
        .as("node A's answer to a packet for an agent of a dead node")
        .isEqualTo(KeepPackets.reply(sent.get().getId(), KeepPackets.ERROR_OFFLINE));
  }
}
