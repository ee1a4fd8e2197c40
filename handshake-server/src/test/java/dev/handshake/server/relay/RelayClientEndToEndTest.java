package dev.handshake.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.handshake.client.relay.ReceivedPacket;
import dev.handshake.client.relay.RelayClient;
import dev.handshake.client.relay.RelayReplyException;
import dev.handshake.relay.KeepPackets;
import dev.handshake.relay.RelayConfig;
import dev.handshake.relay.RelayEngine;
import dev.handshake.relay.proto.Packet;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * The Java relay client ({@code dev.handshake.client.relay}) against the real Netty relay on
 * 127.0.0.1 (keep.md §2.12 SDK behaviour and the §3 item 12 fixes). Heartbeats tick every 200 ms
 * so they interleave with every exchange.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RelayClientEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private RelayListener relay;
  private final List<RelayClient> clients = new ArrayList<>();

  @BeforeEach
  void startRelay() throws InterruptedException {
    RelayConfig config = RelayConfig.builder().heartbeatInterval(Duration.ofMillis(200)).build();
    relay = RelayListener.start("127.0.0.1", 0, new RelayEngine(config, Clock.systemUTC()));
  }

  @AfterEach
  void stop() {
    clients.forEach(RelayClient::close);
    relay.close();
  }

  private RelayClient client(String src) {
    RelayClient c = RelayClient.builder().src(src).port(relay.port()).timeout(WAIT).build();
    clients.add(c);
    return c;
  }

  private RelayClient connected(String src) throws IOException {
    RelayClient c = client(src);
    c.connect();
    assertThat(c.send("server", "register").orElseThrow().getBody()).isEqualTo("done");
    return c;
  }

  @Test
  void anEphemeralSendToTheServerGetsDoneWithItsIdEchoed() throws IOException {
    Packet reply =
        client("bot:once").send(Packet.newBuilder().setId("p1").setDst("server").build())
            .orElseThrow();

    assertThat(reply.getBody()).isEqualTo(KeepPackets.DONE);
    assertThat(reply.getId()).isEqualTo("p1");
    assertThat(reply.getSrc()).isEqualTo("server");
    assertThat(reply.getTyp()).isEqualTo(KeepPackets.TYP_REPLY);
  }

  @Test
  void aForwardQueuedBeforeTheReplyIsNotMistakenForIt() throws IOException {
    RelayClient alice = connected("bot:alice");
    RelayClient bob = connected("bot:bob");
    bob.send("bot:alice", "queued first");
    // Bob's connection is processed in order: once "done" is back, the forward is in Alice's
    // outbound queue ahead of anything she asks next.
    bob.send("server", "sync");

    JsonNode info = alice.discover("info");

    assertThat(info.path("version").asString()).as("the reply, not the forward").isEqualTo("0.3.0");
    List<ReceivedPacket> received = new CopyOnWriteArrayList<>();
    alice.listen(received::add);
    await().atMost(WAIT).until(() -> received.size() == 1);
    assertThat(received.getFirst().body()).isEqualTo("queued first");
  }

  @Test
  void listenReceivesAForwardWithItsOriginalSrcBodyAndVerifiedKey() throws IOException {
    RelayClient alice = connected("bot:alice");
    List<ReceivedPacket> received = new CopyOnWriteArrayList<>();
    alice.listen(received::add);
    RelayClient bob = client("bot:bob");

    assertThat(bob.send("bot:alice", "hello alice")).as("forwards are not acknowledged").isEmpty();

    await().atMost(WAIT).until(() -> !received.isEmpty());
    ReceivedPacket p = received.getFirst();
    assertThat(p.src()).isEqualTo("bot:bob");
    assertThat(p.dst()).isEqualTo("bot:alice");
    assertThat(p.body()).isEqualTo("hello alice");
    assertThat(p.verified()).isTrue();
    assertThat(p.publicKey()).contains(bob.publicKey());
  }

  @Test
  void heartbeatsAreCountedButNeverDelivered() throws IOException {
    RelayClient alice = connected("bot:alice");
    List<ReceivedPacket> received = new CopyOnWriteArrayList<>();
    alice.listen(received::add);

    await().atMost(WAIT).until(() -> alice.heartbeats() >= 2);

    assertThat(received).as("typ=2 packets are filtered").isEmpty();
    assertThat(alice.send("server", "still fine").orElseThrow().getBody()).isEqualTo("done");
  }

  @Test
  void discoverInfoAnswersVersionAgentsAndUptime() throws IOException {
    JsonNode info = connected("bot:alice").discover("info");

    assertThat(info.path("version").asString()).isEqualTo("0.3.0");
    assertThat(info.path("agents_online").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(info.path("uptime_sec").isIntegralNumber()).isTrue();
  }

  @Test
  void discoverAgentsListsTheQuerierItself() throws IOException {
    connected("bot:alice");

    assertThat(client("bot:carol").discoverAgents()).contains("bot:alice", "bot:carol");
  }

  @Test
  void discoverStatsCountsPacketsAndScars() throws IOException {
    RelayClient scarred = client("bot:scar");
    scarred.send(
        Packet.newBuilder().setDst("server").setScar(ByteString.copyFromUtf8("memory")).build());

    JsonNode stats = scarred.discover("stats");

    assertThat(stats.path("total_packets").asLong()).isGreaterThanOrEqualTo(2);
    assertThat(stats.path("scar_exchanges").has("bot:scar")).isTrue();
  }

  @Test
  void anUnknownDiscoveryQueryIsARelayReplyError() {
    RelayClient anonymous = client("");

    assertThatThrownBy(() -> anonymous.discover("INFO"))
        .isInstanceOfSatisfying(
            RelayReplyException.class,
            e -> assertThat(e.reply()).isEqualTo(KeepPackets.ERROR_UNKNOWN_DISCOVERY));
  }

  @Test
  void aRequestIsAnsweredByTheAgentThatRepliesWithTheSameId() throws Exception {
    RelayClient alice = connected("bot:alice");
    alice.listen(
        p -> {
          try {
            alice.reply(p, "pong:" + p.body());
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
    RelayClient bob = connected("bot:bob");

    ReceivedPacket answer = bob.request("bot:alice", "ping").get(5, TimeUnit.SECONDS);

    assertThat(answer.body()).isEqualTo("pong:ping");
    assertThat(answer.src()).isEqualTo("bot:alice");
    assertThat(answer.verified()).isTrue();
  }

  @Test
  void aRequestToAnOfflineAgentFailsWithTheRelaysError() throws IOException {
    RelayClient bob = connected("bot:bob");

    assertThatThrownBy(() -> bob.request("bot:nobody", "hello?").get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(RelayReplyException.class)
        .hasMessageContaining(KeepPackets.ERROR_OFFLINE);
  }

  @Test
  void anOfflineNoticeForAFireAndForgetForwardReachesTheListener() throws IOException {
    RelayClient bob = connected("bot:bob");
    List<ReceivedPacket> received = new CopyOnWriteArrayList<>();
    bob.listen(received::add);

    bob.send("bot:nobody", "anyone?");

    await().atMost(WAIT).until(() -> !received.isEmpty());
    assertThat(received.getFirst().fromServer()).isTrue();
    assertThat(received.getFirst().body()).isEqualTo(KeepPackets.ERROR_OFFLINE);
  }
}
