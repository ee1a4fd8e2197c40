package dev.handshake.client.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.relay.KeepPackets;
import dev.handshake.relay.proto.Packet;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Frame limits in both directions (keep.md §2.3, §2.12) and whole-frame writes (§3 item 6). */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class RelayClientFramingTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static RelayClient client(int port) {
    return RelayClient.builder().src("bot:frames").port(port).timeout(TIMEOUT).build();
  }

  private static Packet serverReply(Packet request, String body) {
    return KeepPackets.reply(request.getId(), body);
  }

  @Test
  void refusesAnOversizedPacketBeforeConnecting() throws IOException {
    try (ServerSocket relay = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      RelayClient client = client(relay.getLocalPort());

      assertThatThrownBy(() -> client.send("server", "x".repeat(KeepPackets.MAX_PACKET_SIZE)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("exceeds the 65536-byte maximum");
      assertThat(acceptsWithin(relay, 200)).as("no connection was opened").isFalse();
    }
  }

  @Test
  void signsAPacketOfExactlyTheMaximumSize() {
    RelayClient client = client(9009);
    Packet small = client.sign(Packet.newBuilder().setId("max").setDst("server").build());
    // The body's length prefix grows to 3 bytes past 16383 chars, plus 1 byte for the tag.
    int body = KeepPackets.MAX_PACKET_SIZE - small.getSerializedSize() - 4;

    Packet max =
        client.sign(
            Packet.newBuilder().setId("max").setDst("server").setBody("b".repeat(body)).build());

    assertThat(max.getSerializedSize()).isEqualTo(KeepPackets.MAX_PACKET_SIZE);
  }

  @Test
  void closesWithAClearErrorOnAZeroLengthFrame() throws IOException {
    try (FakeRelay relay =
        FakeRelay.start(
            c -> {
              c.read();
              c.writeRaw(new byte[] {0, 0, 0, 0});
            })) {
      RelayClient client = client(relay.port());

      assertThatThrownBy(() -> client.send("server", "ping"))
          .isInstanceOf(RelayFrameException.class)
          .hasMessage("Received zero-length frame");
    }
  }

  @Test
  void closesWithAClearErrorOnAnOversizedFrameWithoutReadingIt() throws IOException {
    try (FakeRelay relay =
        FakeRelay.start(
            c -> {
              c.read();
              c.writeRaw(new byte[] {0, 1, 0, 1}); // 65537
            })) {
      RelayClient client = client(relay.port());

      assertThatThrownBy(() -> client.send("server", "ping"))
          .isInstanceOf(RelayFrameException.class)
          .hasMessage("Frame too large: 65537 > 65536");
    }
  }

  @Test
  void aBrokenFrameOnAPersistentConnectionFailsTheWaitingSendAndDisconnects()
      throws IOException {
    try (FakeRelay relay =
            FakeRelay.start(
                c -> {
                  c.read();
                  c.writeRaw(new byte[] {0, 0, 0, 0});
                  c.awaitClose();
                });
        RelayClient client = client(relay.port())) {
      client.connect();

      assertThatThrownBy(() -> client.send("server", "ping"))
          .isInstanceOf(RelayFrameException.class);
      assertThatThrownBy(() -> client.disconnected().join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(RelayFrameException.class);
      assertThat(client.isConnected()).isFalse();
    }
  }

  @Test
  void concurrentSendersNeverInterleaveFrames() throws Exception {
    int threads = 8;
    int perThread = 250;
    List<Packet> seen = new CopyOnWriteArrayList<>();
    try (FakeRelay relay =
        FakeRelay.start(
            c -> {
              for (int i = 0; i < threads * perThread; i++) {
                seen.add(c.read());
              }
              c.awaitClose();
            })) {
      RelayClient client = client(relay.port());
      client.connect();
      List<Thread> senders = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String body = "sender-" + t + "-" + "p".repeat(200 * t);
        senders.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      for (int i = 0; i < perThread; i++) {
                        try {
                          client.send("bot:sink", body);
                        } catch (IOException e) {
                          throw new IllegalStateException(e);
                        }
                      }
                    }));
      }
      for (Thread sender : senders) {
        sender.join();
      }
      client.close();
      relay.done().get(10, TimeUnit.SECONDS);

      assertThat(seen).as("every frame parsed, none interleaved").hasSize(threads * perThread);
      assertThat(seen).allSatisfy(p -> assertThat(p.getBody()).startsWith("sender-"));
    }
  }

  @Test
  void ignoresFramesThatAreNotItsReplyInEphemeralMode() throws IOException {
    try (FakeRelay relay =
        FakeRelay.start(
            c -> {
              Packet request = c.read();
              c.write(KeepPackets.heartbeat());
              c.write(serverReply(Packet.newBuilder().setId("someone-else").build(), "done"));
              c.write(serverReply(request, "done"));
            })) {
      RelayClient client = client(relay.port());

      Packet reply = client.send("server", "ping").orElseThrow();

      assertThat(reply.getBody()).isEqualTo("done");
      assertThat(reply.getTyp()).isEqualTo(KeepPackets.TYP_REPLY);
    }
  }

  @Test
  void timesOutWhenTheRelayNeverAnswers() throws IOException {
    try (FakeRelay relay = FakeRelay.start(FakeRelay.Conversation::awaitClose)) {
      RelayClient client =
          RelayClient.builder().src("bot:frames").port(relay.port())
              .timeout(Duration.ofMillis(300)).build();

      assertThatThrownBy(() -> client.send("server", "ping"))
          .isInstanceOf(SocketTimeoutException.class);
    }
  }

  private static boolean acceptsWithin(ServerSocket socket, int millis) throws IOException {
    socket.setSoTimeout(millis);
    try {
      socket.accept().close();
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }
}
