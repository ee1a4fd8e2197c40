package dev.handshake.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.relay.KeepPackets;
import dev.handshake.relay.RelayConfig;
import dev.handshake.relay.RelayEngine;
import dev.handshake.relay.proto.Packet;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * keep.md §4 item 31 / §3 item 5, frame-rate limits: frames over the per-connection or
 * per-address token bucket are dropped silently (no reply) and the connection stays open.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RelayHardeningFrameRateTest {
  private static final int RATE = 50;
  private static final Duration QUIET = Duration.ofSeconds(1);

  private final Ed25519PrivateKey key = Ed25519PrivateKey.generate(new SecureRandom());
  private RelayListener relay;

  @AfterEach
  void stop() {
    if (relay != null) {
      relay.close();
    }
  }

  @Test
  @DisplayName("31 [ours] connectionFramesPerSecond=50: a burst of 500 frames gets fewer than 500 replies, in order; the connection stays open")
  void perConnectionRateDropsTheExcess() throws Exception {
    start(RelayConfig.builder().connectionFramesPerSecond(RATE).addressFramesPerSecond(100_000));
    try (RawKeepSocket client = RawKeepSocket.connect(relay.address())) {
      client.sendFrames(burst("c", 500));

      List<Integer> answered = readRepliesUntilQuiet(client, "c");

      assertThat(answered).as("replies to the 500-frame burst").hasSizeLessThan(500).isNotEmpty().isSorted();
      assertThat(relay.engine().stats().rateLimited()).as("frames dropped by the rate limit").isPositive();
      assertStillUsable(client, "c-after");
    }
  }

  @Test
  @DisplayName("31 [ours] addressFramesPerSecond=50: two connections from one address share the bucket; both stay open")
  void perAddressRateIsSharedAcrossConnections() throws Exception {
    start(RelayConfig.builder().connectionFramesPerSecond(100_000).addressFramesPerSecond(RATE));
    try (RawKeepSocket a = RawKeepSocket.connect(relay.address());
        RawKeepSocket b = RawKeepSocket.connect(relay.address())) {
      a.sendFrames(burst("a", 250));
      b.sendFrames(burst("b", 250));

      int answered = readRepliesUntilQuiet(a, "a").size() + readRepliesUntilQuiet(b, "b").size();

      assertThat(answered).as("replies to 2 × 250 frames from one address").isLessThan(500).isPositive();
      assertStillUsable(a, "a-after");
      assertStillUsable(b, "b-after");
    }
  }

  private void start(RelayConfig.Builder config) throws InterruptedException {
    relay =
        RelayListener.start(
            "127.0.0.1", 0, new RelayEngine(config.heartbeatInterval(Duration.ZERO).build(), Clock.systemUTC()));
  }

  private List<byte[]> burst(String prefix, int n) {
    return IntStream.range(0, n)
        .parallel()
        .mapToObj(i -> RawKeepSocket.signed(key, prefix + "-" + i, "", "server", "").toByteArray())
        .toList();
  }

  /** The sequence numbers of the {@code done} replies read until the relay goes quiet. */
  private static List<Integer> readRepliesUntilQuiet(RawKeepSocket client, String prefix) throws IOException {
    List<Integer> seen = new ArrayList<>();
    for (Optional<Packet> p = client.poll(QUIET); p.isPresent(); p = client.poll(QUIET)) {
      assertThat(p.get().getBody()).as("reply to %s", p.get().getId()).isEqualTo(KeepPackets.DONE);
      seen.add(Integer.parseInt(p.get().getId().substring(prefix.length() + 1)));
    }
    return seen;
  }

  private void assertStillUsable(RawKeepSocket client, String id) throws IOException {
    client.send(RawKeepSocket.signed(key, id, "", "server", ""));
    Packet reply = client.replyTo(id, Duration.ofSeconds(2), new ArrayList<>());
    assertThat(reply.getBody()).as("the connection answers again once the bucket refilled").isEqualTo(KeepPackets.DONE);
  }
}
