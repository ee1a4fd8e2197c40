package dev.handshake.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.relay.KeepPackets;
import dev.handshake.relay.RelayConfig;
import dev.handshake.relay.RelayEngine;
import dev.handshake.relay.RelayStats;
import dev.handshake.relay.proto.Packet;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * keep.md §4 item 29 / §3 item 6: one writer per connection, each frame one buffer, so frames
 * forwarded concurrently by many senders reach the receiver whole, never interleaved.
 */
class RelayHardeningForwardingTest {
  private static final int SENDERS = 8;
  private static final int PER_SENDER = 12_500;
  private static final int TOTAL = SENDERS * PER_SENDER;
  private static final String SINK = "bot:sink";
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  @DisplayName("29 [ours] 8 concurrent senders × 12 500 forwards reach one receiver as 100 000 whole frames in per-sender order")
  void concurrentForwardsArriveWholeAndInSenderOrder() throws Exception {
    RelayConfig config =
        RelayConfig.builder()
            .connectionFramesPerSecond(1_000_000)
            .addressFramesPerSecond(1_000_000)
            .outboundQueueFrames(TOTAL + 1_000)
            .outboundQueueBytes(256L * 1024 * 1024)
            .heartbeatInterval(Duration.ZERO)
            .build();
    SecureRandom random = new SecureRandom();
    Ed25519PrivateKey[] keys = new Ed25519PrivateKey[SENDERS];
    for (int s = 0; s < SENDERS; s++) {
      keys[s] = Ed25519PrivateKey.generate(random);
    }
    byte[][][] sent = new byte[SENDERS][PER_SENDER][];
    IntStream.range(0, TOTAL)
        .parallel()
        .forEach(
            i -> {
              int s = i / PER_SENDER;
              int seq = i % PER_SENDER;
              sent[s][seq] =
                  RawKeepSocket.signed(keys[s], s + ":" + seq, sender(s), SINK, "frame " + seq + " of sender " + s)
                      .toByteArray();
            });

    try (RelayListener relay =
            RelayListener.start("127.0.0.1", 0, new RelayEngine(config, Clock.systemUTC()));
        RawKeepSocket sink = RawKeepSocket.connect(relay.address())) {
      Ed25519PrivateKey sinkKey = Ed25519PrivateKey.generate(random);
      assertThat(sink.roundTrip(RawKeepSocket.signed(sinkKey, "hello", SINK, "server", ""), READ_TIMEOUT).getBody())
          .as("the receiver registers with a packet to the server")
          .isEqualTo(KeepPackets.DONE);

      List<RawKeepSocket> senders = new ArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
      try {
        for (int s = 0; s < SENDERS; s++) {
          senders.add(RawKeepSocket.connect(relay.address()));
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> writes = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
          RawKeepSocket socket = senders.get(s);
          List<byte[]> frames = Arrays.asList(sent[s]);
          writes.add(
              pool.submit(
                  () -> {
                    go.await();
                    socket.sendFrames(frames);
                    return null;
                  }));
        }
        go.countDown();

        int[] next = new int[SENDERS];
        List<String> problems = new ArrayList<>();
        for (int n = 0; n < TOTAL && problems.size() < 10; n++) {
          byte[] payload = sink.readFrame(READ_TIMEOUT);
          Packet p = Packet.parseFrom(payload);
          int s = senderIndex(p.getSrc());
          int seq = s < 0 ? -1 : Integer.parseInt(p.getId().substring(p.getId().indexOf(':') + 1));
          if (s < 0) {
            problems.add("frame #" + n + " is not from a sender: src=" + p.getSrc() + " body=" + p.getBody());
          } else if (seq != next[s]) {
            problems.add("frame #" + n + " from " + p.getSrc() + " has seq " + seq + ", expected " + next[s]);
            next[s] = seq + 1;
          } else if (!Arrays.equals(payload, sent[s][seq])) {
            problems.add("frame #" + n + " (" + p.getId() + ") differs from the signed bytes");
            next[s]++;
          } else {
            next[s]++;
          }
          if (n % 997 == 0
              && !Ed25519PublicKey.verify(
                  p.getPk().toByteArray(), KeepPackets.signPayload(p), p.getSig().toByteArray())) {
            problems.add("frame #" + n + " (" + p.getId() + ") does not verify");
          }
        }
        for (Future<?> w : writes) {
          w.get(30, TimeUnit.SECONDS);
        }

        assertThat(problems).as("frames that arrived out of order, altered or unverifiable").isEmpty();
        assertThat(next)
            .as("every sender's %d frames arrived, in order", PER_SENDER)
            .containsOnly(PER_SENDER);
        assertThat(sink.poll(Duration.ofMillis(300)))
            .as("nothing beyond the %d forwarded frames reaches the receiver", TOTAL)
            .isEmpty();
        for (int s = 0; s < SENDERS; s++) {
          assertThat(senders.get(s).poll(Duration.ofMillis(50)))
              .as("sender %d gets no ack and no error for successful forwards", s)
              .isEmpty();
        }
        RelayStats stats = relay.engine().stats();
        assertThat(stats.forwarded()).as("forwards counted by the relay").isEqualTo(TOTAL);
        assertThat(stats.deliveryFailed()).as("failed deliveries").isZero();
        assertThat(stats.rateLimited()).as("frames dropped by rate limits").isZero();
      } finally {
        pool.shutdownNow();
        for (RawKeepSocket s : senders) {
          s.close();
        }
      }
    }
  }

  private static String sender(int s) {
    return "bot:sender-" + s;
  }

  private static int senderIndex(String src) {
    if (!src.startsWith("bot:sender-")) {
      return -1;
    }
    int s = Integer.parseInt(src.substring("bot:sender-".length()));
    return s >= 0 && s < SENDERS ? s : -1;
  }
}
