package dev.handshake.client.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.relay.KeepPackets;
import dev.handshake.relay.proto.Packet;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a connected client lets through to application code (keep.md §3 item 12): only verified
 * packets and the server's own unsigned packets; heartbeats are counted and dropped; replies are
 * matched by id. Forged traffic comes from a scripted fake relay.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class RelayClientReceiveTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private final Ed25519PrivateKey mallory = Ed25519PrivateKey.generate(new SecureRandom());

  private Packet signedBy(Ed25519PrivateKey key, String src, String body) {
    return KeepPackets.sign(
        Packet.newBuilder().setId("m-" + body).setSrc(src).setDst("bot:me").setBody(body).build(),
        key);
  }

  @Test
  void deliversOnlyVerifiedPacketsAndCountsHeartbeats() throws Exception {
    Packet good = signedBy(mallory, "bot:peer", "good");
    Packet tampered = signedBy(mallory, "bot:peer", "orig").toBuilder().setBody("changed").build();
    Packet pkOnly = signedBy(mallory, "bot:peer", "pk-only").toBuilder().clearSig().build();
    Packet unsigned = Packet.newBuilder().setSrc("bot:peer").setDst("bot:me").setBody("u").build();
    try (FakeRelay relay =
            FakeRelay.start(
                c -> {
                  c.write(KeepPackets.heartbeat());
                  c.write(unsigned);
                  c.write(tampered);
                  c.write(pkOnly);
                  c.write(good);
                  c.awaitClose();
                });
        RelayClient client = client(relay.port())) {
      List<ReceivedPacket> received = new CopyOnWriteArrayList<>();
      client.connect();
      client.listen(received::add);

      await().atMost(TIMEOUT).until(() -> !received.isEmpty());
      await().atMost(TIMEOUT).until(() -> client.droppedPackets() == 3);

      assertThat(received).singleElement().satisfies(p -> {
        assertThat(p.body()).isEqualTo("good");
        assertThat(p.verified()).isTrue();
        assertThat(p.publicKey()).contains(mallory.publicKey());
      });
      assertThat(client.heartbeats()).isEqualTo(1);
    }
  }

  @Test
  void matchesTheReplyByIdWhenAForwardArrivesFirst() throws Exception {
    Packet forward = signedBy(mallory, "bot:peer", "not-the-reply");
    try (FakeRelay relay =
            FakeRelay.start(
                c -> {
                  Packet request = c.read();
                  c.write(forward);
                  c.write(KeepPackets.heartbeat());
                  c.write(KeepPackets.reply(request.getId(), "{\"version\":\"0.3.0\"}"));
                  c.awaitClose();
                });
        RelayClient client = client(relay.port())) {
      List<ReceivedPacket> received = new CopyOnWriteArrayList<>();
      client.connect();
      client.listen(received::add);

      String version = client.discover("info").path("version").asString();

      assertThat(version).isEqualTo("0.3.0");
      await().atMost(TIMEOUT).until(() -> received.size() == 1);
      assertThat(received.getFirst().body()).isEqualTo("not-the-reply");
    }
  }

  @Test
  void aServerErrorForARequestFailsItsFuture() throws Exception {
    try (FakeRelay relay =
            FakeRelay.start(
                c -> {
                  Packet request = c.read();
                  c.write(KeepPackets.reply(request.getId(), KeepPackets.ERROR_OFFLINE));
                  c.awaitClose();
                });
        RelayClient client = client(relay.port())) {
      client.connect();

      assertThatThrownBy(() -> client.request("bot:away", "hello?").join())
          .hasCauseInstanceOf(RelayReplyException.class)
          .hasMessageContaining("error:offline");
    }
  }

  @Test
  void anUnknownDiscoveryIsAClearErrorNotAParseFailure() throws IOException {
    try (FakeRelay relay =
        FakeRelay.start(
            c -> c.write(KeepPackets.reply(c.read().getId(), KeepPackets.ERROR_UNKNOWN_DISCOVERY)))) {
      RelayClient client = client(relay.port());

      assertThatThrownBy(() -> client.discover("nope"))
          .isInstanceOfSatisfying(
              RelayReplyException.class,
              e -> {
                assertThat(e.reply()).isEqualTo("error:unknown_discovery");
                assertThat(e.isServerError()).isTrue();
              });
    }
  }

  @Test
  void requiresAnExplicitSrc() {
    assertThatThrownBy(() -> RelayClient.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("src is required");
  }

  @Test
  void neverShowsTheSeedInToString() {
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(new SecureRandom());
    RelayClient client = RelayClient.builder().src("bot:me").key(key).build();

    String seedHex = java.util.HexFormat.of().formatHex(key.exportSeed());

    assertThat(client.toString()).doesNotContain(seedHex).contains(key.publicKey().hex());
  }

  @Test
  void listenNeedsAConnection() {
    RelayClient client = RelayClient.builder().src("bot:me").build();

    assertThatThrownBy(() -> client.listen(p -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("connect()");
  }

  private static RelayClient client(int port) {
    return RelayClient.builder().src("bot:me").port(port).timeout(TIMEOUT).build();
  }

}
