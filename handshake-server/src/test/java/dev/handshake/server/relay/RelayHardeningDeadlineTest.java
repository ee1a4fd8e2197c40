package dev.handshake.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.relay.KeepPackets;
import dev.handshake.relay.RelayConfig;
import dev.handshake.relay.RelayEngine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * keep.md §4 item 31 / §3 item 5, deadlines: the first frame must start within {@code
 * firstFrameTimeout}; a started frame must be complete within {@code frameTimeout} (slow-loris);
 * a connection idle between frames is never closed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RelayHardeningDeadlineTest {
  private static final Duration SHORT = Duration.ofMillis(500);
  private static final Duration LONG = Duration.ofSeconds(30);
  /** Scheduling slack allowed on top of a deadline before we call the connection "not closed". */
  private static final Duration SLACK = Duration.ofSeconds(3);

  private final Ed25519PrivateKey key = Ed25519PrivateKey.generate(new SecureRandom());
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private RelayListener relay;

  @AfterEach
  void stop() {
    pool.shutdownNow();
    if (relay != null) {
      relay.close();
    }
  }

  @Test
  @DisplayName("31 [ours] 2 bytes of a header after a complete frame, then silence: closed after frameTimeout")
  void halfHeaderAfterAFrameIsClosedAfterFrameTimeout() throws Exception {
    start(LONG, SHORT);
    try (RawKeepSocket client = RawKeepSocket.connect(relay.address())) {
      assertDone(client, "first");

      long t0 = System.nanoTime();
      client.sendRaw(new byte[] {0, 0});
      boolean closed = client.closedWithin(SHORT.plus(SLACK));
      Duration waited = Duration.ofNanos(System.nanoTime() - t0);

      assertThat(closed).as("connection closed within %s + %s slack", SHORT, SLACK).isTrue();
      assertThat(waited).as("not closed before the %s frame timeout", SHORT).isGreaterThanOrEqualTo(SHORT);
    }
  }

  @Test
  @DisplayName("31 [ours] a complete frame and 2 bytes of the next header in one write: answered, then closed after frameTimeout")
  void halfHeaderBehindACompleteFrameInOneWriteIsClosedAfterFrameTimeout() throws Exception {
    start(LONG, SHORT);
    try (RawKeepSocket client = RawKeepSocket.connect(relay.address())) {
      assertDone(client, "first");
      byte[] frame = KeepPackets.frame(RawKeepSocket.signed(key, "whole", "bot:loris", "server", "").toByteArray());
      byte[] frameAndHalfHeader = Arrays.copyOf(frame, frame.length + 2);

      long t0 = System.nanoTime();
      client.sendRaw(frameAndHalfHeader);
      assertThat(client.readPacket(SLACK).getId()).as("the complete frame is answered").isEqualTo("whole");
      boolean closed = client.closedWithin(SHORT.plus(SLACK));
      Duration waited = Duration.ofNanos(System.nanoTime() - t0);

      assertThat(closed).as("the dangling half header is closed within %s + %s slack", SHORT, SLACK).isTrue();
      assertThat(waited).as("not closed before the %s frame timeout", SHORT).isGreaterThanOrEqualTo(SHORT);
    }
  }

  @Test
  @DisplayName("31 [ours] 2 bytes of a header as the very first bytes: closed after frameTimeout, not the longer first-frame timeout")
  void halfHeaderAsFirstBytesIsClosedAfterFrameTimeout() throws Exception {
    start(LONG, SHORT);
    try (RawKeepSocket client = RawKeepSocket.connect(relay.address())) {
      long t0 = System.nanoTime();
      client.sendRaw(new byte[] {0, 0});
      boolean closed = client.closedWithin(SHORT.plus(SLACK));
      Duration waited = Duration.ofNanos(System.nanoTime() - t0);

      assertThat(closed).as("closed long before the %s first-frame timeout", LONG).isTrue();
      assertThat(waited).as("not closed before the %s frame timeout", SHORT).isGreaterThanOrEqualTo(SHORT);
    }
  }

  @Test
  @DisplayName("31 [ours] a frame trickled one byte every 50 ms is closed after frameTimeout although bytes keep coming")
  void trickledFrameIsClosedAfterFrameTimeout() throws Exception {
    start(LONG, SHORT);
    try (RawKeepSocket client = RawKeepSocket.connect(relay.address())) {
      assertDone(client, "first");
      byte[] frame =
          KeepPackets.frame(
              RawKeepSocket.signed(key, "slow", "bot:loris", "server", "x".repeat(200)).toByteArray());

      long t0 = System.nanoTime();
      pool.submit(
          () -> {
            for (byte b : frame) {
              client.sendRaw(new byte[] {b});
              Thread.sleep(50);
            }
            return null;
          });
      boolean closed = client.closedWithin(SHORT.plus(SLACK));
      Duration waited = Duration.ofNanos(System.nanoTime() - t0);

      assertThat(closed)
          .as("closed although the %d-byte frame would take %d s to trickle in", frame.length, frame.length / 20)
          .isTrue();
      assertThat(waited).as("the deadline runs from the frame's first byte").isGreaterThanOrEqualTo(SHORT);
    }
  }

  @Test
  @DisplayName("31 [ours] a connection that sends nothing is closed after firstFrameTimeout")
  void silentConnectionIsClosedAfterFirstFrameTimeout() throws Exception {
    start(SHORT, LONG);
    long t0 = System.nanoTime();
    try (RawKeepSocket client = RawKeepSocket.connect(relay.address())) {
      boolean closed = client.closedWithin(SHORT.plus(SLACK));
      Duration waited = Duration.ofNanos(System.nanoTime() - t0);

      assertThat(closed).as("closed within %s + %s slack", SHORT, SLACK).isTrue();
      assertThat(waited).as("not closed before the %s first-frame timeout", SHORT).isGreaterThanOrEqualTo(SHORT);
    }
  }

  @Test
  @DisplayName("31 [ours] a connection idle between frames for 3× both timeouts stays open and usable")
  void idleBetweenFramesIsNeverClosed() throws Exception {
    start(SHORT, SHORT);
    try (RawKeepSocket client = RawKeepSocket.connect(relay.address())) {
      assertDone(client, "before-idle");

      assertThat(client.closedWithin(SHORT.multipliedBy(3)))
          .as("closed while idle between frames")
          .isFalse();

      assertDone(client, "after-idle");
    }
  }

  @Test
  @DisplayName("31 [ours] a frame split across writes with pauses shorter than frameTimeout is accepted")
  void frameSplitAcrossWritesWithinTheDeadlineIsAccepted() throws Exception {
    start(SHORT, SHORT);
    try (RawKeepSocket client = RawKeepSocket.connect(relay.address())) {
      assertDone(client, "first");
      byte[] frame = KeepPackets.frame(RawKeepSocket.signed(key, "split", "bot:loris", "server", "").toByteArray());
      ByteBuffer parts = ByteBuffer.wrap(frame);

      for (int chunk : new int[] {2, 3, frame.length - 5}) {
        byte[] part = new byte[chunk];
        parts.get(part);
        client.sendRaw(part);
        Thread.sleep(SHORT.toMillis() / 4);
      }

      assertThat(client.roundTrip(RawKeepSocket.signed(key, "next", "bot:loris", "server", ""), SLACK))
          .as("the split frame is answered first")
          .satisfies(p -> assertThat(p.getId()).isEqualTo("split"));
    }
  }

  private void start(Duration firstFrameTimeout, Duration frameTimeout) throws InterruptedException {
    RelayConfig config =
        RelayConfig.builder()
            .firstFrameTimeout(firstFrameTimeout)
            .frameTimeout(frameTimeout)
            .heartbeatInterval(Duration.ZERO)
            .build();
    relay = RelayListener.start("127.0.0.1", 0, new RelayEngine(config, Clock.systemUTC()));
  }

  private void assertDone(RawKeepSocket client, String id) throws IOException {
    assertThat(client.roundTrip(RawKeepSocket.signed(key, id, "bot:loris", "server", ""), SLACK).getBody())
        .as("reply to %s", id)
        .isEqualTo(KeepPackets.DONE);
  }
}
