package dev.handshake.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * keep.md §4 item 30 / §3 items 6–7: a registered peer that stops reading fills only its own
 * bounded queue. Forwarders never wait on it, heartbeats only enqueue, other connections keep
 * getting prompt replies, and the stalled peer is closed (overflow or write timeout) and loses
 * every name it registered.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RelayHardeningStalledPeerTest {
  private static final Duration HEARTBEAT = Duration.ofMillis(200);
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(1);
  /** Generous: a prompt reply takes milliseconds; a relay stuck behind the stalled peer never answers. */
  private static final Duration PROMPT = Duration.ofSeconds(2);
  private static final int BODY_CHARS = 60_000;

  private final SecureRandom random = new SecureRandom();
  private final Ed25519PrivateKey stalledKey = Ed25519PrivateKey.generate(random);
  private final Ed25519PrivateKey pusherKey = Ed25519PrivateKey.generate(random);
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private RelayListener relay;

  @BeforeEach
  void startRelay() throws InterruptedException {
    RelayConfig config =
        RelayConfig.builder().heartbeatInterval(HEARTBEAT).writeTimeout(WRITE_TIMEOUT).build();
    relay = RelayListener.start("127.0.0.1", 0, new RelayEngine(config, Clock.systemUTC()));
  }

  @AfterEach
  void stopRelay() {
    pool.shutdownNow();
    relay.close();
  }

  @Test
  @DisplayName("30 [ours] a flooded non-reading peer overflows its own queue: forwarder never blocks, others get prompt replies across heartbeats, its names go offline")
  void floodedStalledPeerIsCutOffWithoutDelayingOthers() throws Exception {
    try (RawKeepSocket stalled = registerStalledPeer();
        Pinger pinger = Pinger.start(relay, pool);
        RawKeepSocket pusher = RawKeepSocket.connect(relay.address())) {
      pinger.awaitRoundTrips(5);
      // 200 × 60 KB = 12 MB: more than the 8 MiB outbound queue and far more than socket buffers.
      List<byte[]> flood = largeForwards("flood", 200);

      Future<?> pushing =
          pool.submit(
              () -> {
                pusher.sendFrames(flood);
                return null;
              });

      assertThat(pushing)
          .as("the relay keeps reading the pusher: writing 12 MB of forwards never blocks")
          .succeedsWithin(Duration.ofSeconds(20));
      List<Packet> forwardReplies = new ArrayList<>();
      pusher.send(RawKeepSocket.signed(pusherKey, "after-flood", "bot:pusher", "server", ""));
      Packet pusherPing = pusher.replyTo("after-flood", PROMPT.multipliedBy(2), forwardReplies);

      assertThat(pusherPing.getBody()).as("the pusher's own request is still answered").isEqualTo(KeepPackets.DONE);
      assertThat(forwardReplies)
          .as("the pusher's forwards are answered at worst with error:delivery_failed, then error:offline")
          .extracting(Packet::getBody)
          .isNotEmpty()
          .allMatch(b -> b.equals(KeepPackets.ERROR_DELIVERY_FAILED) || b.equals(KeepPackets.ERROR_OFFLINE));
      assertThat(stalled.closedWithin(Duration.ofSeconds(5)))
          .as("the stalled peer's connection is closed")
          .isTrue();
      assertNamesOffline();
      int pingsAtClose = pinger.roundTrips();
      Thread.sleep(HEARTBEAT.multipliedBy(3).toMillis());
      pinger.awaitRoundTrips(pingsAtClose + 5);
      pinger.assertAllPrompt();
    }
  }

  @Test
  @DisplayName("30 [ours] a non-reading peer whose queue is not full is disconnected after the write timeout; heartbeats meanwhile delay no one")
  void stalledPeerIsDisconnectedAfterWriteTimeout() throws Exception {
    try (RawKeepSocket stalled = registerStalledPeer();
        Pinger pinger = Pinger.start(relay, pool);
        RawKeepSocket pusher = RawKeepSocket.connect(relay.address())) {
      pinger.awaitRoundTrips(5);
      // 40 × 60 KB = 2.4 MB: fits the 8 MiB / 1 024-frame queue, but not the peer's socket buffers.
      List<byte[]> forwards = largeForwards("slow", 40);
      int pingsBefore = pinger.roundTrips();
      long started = System.nanoTime();

      pusher.sendFrames(forwards);
      await("the stalled peer is disconnected")
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> relay.engine().stats().connections() == 2);
      Duration stalledFor = Duration.ofNanos(System.nanoTime() - started);

      assertThat(stalledFor)
          .as("disconnected only after the %s write timeout, and not much later", WRITE_TIMEOUT)
          .isGreaterThanOrEqualTo(WRITE_TIMEOUT)
          .isLessThan(WRITE_TIMEOUT.plusSeconds(4));
      assertThat(pinger.roundTrips() - pingsBefore)
          .as("round trips completed by a third connection while the peer was stalled (%d heartbeat ticks)",
              stalledFor.toMillis() / HEARTBEAT.toMillis())
          .isGreaterThanOrEqualTo(3);
      assertThat(pusher.pollIgnoringHeartbeats(Duration.ofMillis(300)))
          .as("forwards queued before the stall were accepted: no error reply")
          .isEmpty();
      assertThat(stalled.closedWithin(Duration.ofSeconds(5)))
          .as("the stalled peer sees its connection closed")
          .isTrue();
      assertNamesOffline();
      int pingsAtClose = pinger.roundTrips();
      Thread.sleep(HEARTBEAT.multipliedBy(3).toMillis());
      pinger.awaitRoundTrips(pingsAtClose + 5);
      pinger.assertAllPrompt();
    }
  }

  /** A peer that registers two names, then never reads again, with a tiny receive window. */
  private RawKeepSocket registerStalledPeer() throws IOException {
    RawKeepSocket stalled = RawKeepSocket.connect(relay.address(), s -> s.setReceiveBufferSize(1024));
    for (String name : List.of("bot:stalled", "bot:stalled-alias")) {
      Packet reply = stalled.roundTrip(RawKeepSocket.signed(stalledKey, "hello " + name, name, "server", ""), PROMPT);
      assertThat(reply.getBody()).as("%s registers", name).isEqualTo(KeepPackets.DONE);
    }
    return stalled;
  }

  private List<byte[]> largeForwards(String prefix, int count) {
    String body = "x".repeat(BODY_CHARS);
    return IntStream.range(0, count)
        .parallel()
        .mapToObj(i -> RawKeepSocket.signed(pusherKey, prefix + i, "bot:pusher", "bot:stalled", body).toByteArray())
        .toList();
  }

  /** Both names of the stalled peer were unregistered: a fresh forward to either gets error:offline. */
  private void assertNamesOffline() throws IOException {
    Ed25519PrivateKey probeKey = Ed25519PrivateKey.generate(random);
    try (RawKeepSocket probe = RawKeepSocket.connect(relay.address())) {
      for (String name : List.of("bot:stalled", "bot:stalled-alias")) {
        Packet probeForward = RawKeepSocket.signed(probeKey, "probe " + name, "bot:probe", name, "hi");
        assertThat(probe.roundTrip(probeForward, PROMPT).getBody())
            .as("a forward to %s after the disconnect", name)
            .isEqualTo(KeepPackets.ERROR_OFFLINE);
      }
    }
  }

  /** A third connection doing strict request/reply round trips to {@code server} in the background. */
  private static final class Pinger implements AutoCloseable {
    private final RawKeepSocket socket;
    private final Ed25519PrivateKey key = Ed25519PrivateKey.generate(new SecureRandom());
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private volatile int roundTrips;
    private volatile long slowestNanos;
    private volatile boolean running = true;
    private Future<?> loop;

    private Pinger(RawKeepSocket socket) {
      this.socket = socket;
    }

    static Pinger start(RelayListener relay, ExecutorService pool) throws IOException {
      Pinger p = new Pinger(RawKeepSocket.connect(relay.address()));
      p.loop = pool.submit(p::run);
      return p;
    }

    private void run() {
      for (int i = 0; running; i++) {
        Packet ping = RawKeepSocket.signed(key, "ping-" + i, "bot:pinger", "server", "");
        long t0 = System.nanoTime();
        try {
          Packet reply = socket.roundTrip(ping, PROMPT.multipliedBy(3));
          long rtt = System.nanoTime() - t0;
          slowestNanos = Math.max(slowestNanos, rtt);
          if (!reply.getId().equals(ping.getId()) || !reply.getBody().equals(KeepPackets.DONE)) {
            failures.add("ping-" + i + " answered by id=" + reply.getId() + " body=" + reply.getBody());
          }
          roundTrips++;
          Thread.sleep(10);
        } catch (IOException e) {
          if (running) {
            failures.add("ping-" + i + ": " + e);
          }
          return;
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    int roundTrips() {
      return roundTrips;
    }

    void awaitRoundTrips(int n) {
      await("the pinger completes " + n + " round trips")
          .atMost(Duration.ofSeconds(10))
          .until(() -> roundTrips >= n || !failures.isEmpty());
      assertThat(failures).as("pinger failures").isEmpty();
    }

    void assertAllPrompt() {
      assertThat(failures).as("pinger failures").isEmpty();
      assertThat(Duration.ofNanos(slowestNanos))
          .as("slowest of %d round trips to the server from an unrelated connection", roundTrips)
          .isLessThan(PROMPT);
    }

    @Override
    public void close() throws IOException {
      running = false;
      socket.close();
      loop.cancel(true);
    }
  }
}
