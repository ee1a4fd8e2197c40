package dev.handshake.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.relay.KeepPackets;
import dev.handshake.relay.RelayConfig;
import dev.handshake.relay.RelayEngine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * keep.md §4 item 31 / §3 item 5, connection limits: connections over the total or per-address
 * limit are accepted and closed at once, admitted ones keep working, and closing connections
 * gives their slots back (no leak of per-address state).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RelayHardeningConnectionLimitTest {
  private static final Duration PROMPT = Duration.ofSeconds(2);
  /** Far below the 30 s first-frame timeout, so a close within it is the limit at work. */
  private static final Duration REFUSAL = Duration.ofSeconds(3);

  private final Ed25519PrivateKey key = Ed25519PrivateKey.generate(new SecureRandom());
  private final List<RawKeepSocket> open = new ArrayList<>();
  private RelayListener relay;
  private int ids;

  @AfterEach
  void stop() throws IOException {
    for (RawKeepSocket s : open) {
      s.close();
    }
    if (relay != null) {
      relay.close();
    }
  }

  @Test
  @DisplayName("31 [ours] over maxConnections: the excess connection is closed at once, the others keep working, freed slots are reused")
  void totalConnectionLimit() throws Exception {
    start(RelayConfig.builder().maxConnections(4).maxConnectionsPerAddress(64));
    for (int i = 0; i < 4; i++) {
      open.add(admitted(RawKeepSocket.connect(relay.address())));
    }

    try (RawKeepSocket excess = RawKeepSocket.connect(relay.address())) {
      assertThat(excess.closedWithin(REFUSAL)).as("the 5th connection is closed at once").isTrue();
    }
    for (RawKeepSocket s : open) {
      assertDone(s);
    }
    assertThat(relay.engine().stats().refusedConnections()).as("refused connections").isEqualTo(1);

    closeFirst(2);
    for (int i = 0; i < 2; i++) {
      open.add(admitted(RawKeepSocket.connect(relay.address())));
    }
    try (RawKeepSocket excess = RawKeepSocket.connect(relay.address())) {
      assertThat(excess.closedWithin(REFUSAL)).as("the limit still holds after reuse").isTrue();
    }
  }

  @Test
  @DisplayName("31 [ours] over maxConnectionsPerAddress: the excess connection from that address is closed, another address is still admitted")
  void perAddressConnectionLimit() throws Exception {
    start(RelayConfig.builder().maxConnections(100).maxConnectionsPerAddress(3));
    for (int i = 0; i < 3; i++) {
      open.add(admitted(RawKeepSocket.connect(relay.address())));
    }

    try (RawKeepSocket excess = RawKeepSocket.connect(relay.address())) {
      assertThat(excess.closedWithin(REFUSAL)).as("the 4th connection from 127.0.0.1 is closed at once").isTrue();
    }
    for (RawKeepSocket s : open) {
      assertDone(s);
    }
    InetAddress other = InetAddress.getByName("127.0.0.2");
    assumeThat(canBind(other)).as("127.0.0.2 usable as a second loopback source address").isTrue();
    open.add(admitted(RawKeepSocket.connect(relay.address(), s -> s.bind(new InetSocketAddress(other, 0)))));

    closeFirst(1);
    open.add(admitted(RawKeepSocket.connect(relay.address())));
  }

  @Test
  @DisplayName("31 [ours] 200 connections opened and closed one after another with maxConnectionsPerAddress=4 are all admitted (slots released)")
  void closedConnectionsReleaseTheirSlots() throws Exception {
    start(RelayConfig.builder().maxConnectionsPerAddress(4).addressFramesPerSecond(1_000));
    for (int i = 0; i < 200; i++) {
      try (RawKeepSocket s = RawKeepSocket.connect(relay.address())) {
        admitted(s);
      }
      await("connection " + i + " released")
          .atMost(PROMPT)
          .pollInterval(Duration.ofMillis(1))
          .until(() -> relay.engine().stats().connections() == 0);
    }

    assertThat(relay.engine().stats().refusedConnections()).as("refused connections").isZero();
  }

  private void start(RelayConfig.Builder config) throws InterruptedException {
    relay =
        RelayListener.start(
            "127.0.0.1", 0, new RelayEngine(config.heartbeatInterval(Duration.ZERO).build(), Clock.systemUTC()));
  }

  /** Waits for a reply, which proves the relay admitted the connection (and orders admissions). */
  private RawKeepSocket admitted(RawKeepSocket s) throws IOException {
    assertDone(s);
    return s;
  }

  private void assertDone(RawKeepSocket s) throws IOException {
    String id = "p" + ids++;
    assertThat(s.roundTrip(RawKeepSocket.signed(key, id, "", "server", ""), PROMPT).getBody())
        .as("reply to %s", id)
        .isEqualTo(KeepPackets.DONE);
  }

  private void closeFirst(int n) throws IOException {
    int before = relay.engine().stats().connections();
    for (int i = 0; i < n; i++) {
      open.remove(0).close();
    }
    await("closed connections released")
        .atMost(PROMPT)
        .until(() -> relay.engine().stats().connections() == before - n);
  }

  private static boolean canBind(InetAddress address) {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(address, 0));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
