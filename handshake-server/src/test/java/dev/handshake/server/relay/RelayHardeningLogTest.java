package dev.handshake.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.relay.KeepPackets;
import dev.handshake.relay.RelayConfig;
import dev.handshake.relay.RelayEngine;
import dev.handshake.relay.proto.Packet;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * keep.md §4 item 32 / §3 item 9: packet fields reach the log escaped (a src, dst or body cannot
 * forge log lines or colour a terminal) and bodies are logged as lengths, or with {@code
 * logBodies} escaped and cut to 256 characters.
 */
class RelayHardeningLogTest {
  /** A forged log line, a carriage return, ANSI colour codes and a bell. */
  private static final String EVIL =
      "\n2026/01/01 00:00:00 From bot:admin (typ 0): forged -> server\r\u001b[31mRED\u001b[0m\u0007";
  private static final String EVIL_SRC = "bot:evil" + EVIL;
  private static final Duration PROMPT = Duration.ofSeconds(2);

  private final String marker = "BODY-MARKER-" + UUID.randomUUID();
  private final String tailMarker = "BODY-TAIL-" + UUID.randomUUID();
  /** Starts with the marker; the tail marker sits far beyond the 256 characters debug logging keeps. */
  private final String body = marker + EVIL + "x".repeat(1_000) + tailMarker;
  private final SecureRandom random = new SecureRandom();
  private final Ed25519PrivateKey key = Ed25519PrivateKey.generate(random);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private Logger handshakeLogger;
  private Level levelBefore;
  private RelayListener relay;

  @BeforeEach
  void captureLogs() {
    handshakeLogger = (Logger) LoggerFactory.getLogger("dev.handshake");
    levelBefore = handshakeLogger.getLevel();
    handshakeLogger.setLevel(Level.DEBUG);
    appender.start();
    handshakeLogger.addAppender(appender);
  }

  @AfterEach
  void releaseLogs() {
    if (relay != null) {
      relay.close();
    }
    handshakeLogger.detachAppender(appender);
    handshakeLogger.setLevel(levelBefore);
  }

  @Test
  @DisplayName("32 [ours] hostile src, dst and body: every log line is free of raw control characters and no body is logged")
  void hostileFieldsAreEscapedAndBodiesNotLogged() throws Exception {
    start(RelayConfig.builder());

    exerciseEveryLoggedPath();

    List<String> lines = messages();
    assertThat(lines).as("DEBUG relay log lines").isNotEmpty();
    assertThat(lines)
        .as("log lines holding a raw control character from a packet field")
        .noneMatch(RelayHardeningLogTest::hasControlCharacter);
    assertThat(lines).as("log lines holding body text").noneMatch(l -> l.contains(marker) || l.contains(tailMarker));
    assertThat(lines)
        .as("the verified packet is logged with its src escaped and its body as a length")
        .anyMatch(l -> l.startsWith("From bot:evil\\n2026/01/01") && l.contains("<" + body.length() + " chars>"));
    assertThat(lines)
        .as("the offline route is logged with its dst escaped")
        .anyMatch(l -> l.startsWith("Route bot:evil\\n") && l.contains("bot:nobody\\n2026") && l.endsWith("offline"));
    assertThat(lines)
        .as("the discovery query is logged with its suffix escaped")
        .anyMatch(l -> l.startsWith("Discover bot:evil\\n") && l.contains("\\u001b[31m"));
    assertThat(lines)
        .as("the refused claim and the disconnect are logged with the name escaped")
        .anyMatch(l -> l.startsWith("Identity \"bot:evil\\n2026") && l.endsWith("refused"))
        .anyMatch(l -> l.startsWith("Unregistered \"bot:evil\\n2026"));
  }

  @Test
  @DisplayName("32 [ours] unsigned and invalid-signature packets are logged with src escaped and no body")
  void droppedPacketsAreLoggedEscaped() throws Exception {
    start(RelayConfig.builder());
    try (RawKeepSocket client = RawKeepSocket.connect(relay.address())) {
      client.send(Packet.newBuilder().setId("unsigned").setSrc(EVIL_SRC).setDst("server").setBody(body).build());
      client.send(signed("bad-sig", EVIL_SRC, "server").toBuilder().setBody(body + "tampered").build());
      Packet shortPk = signed("short-pk", EVIL_SRC, "server");
      client.send(shortPk.toBuilder().setPk(shortPk.getPk().substring(1)).build());
      assertDone(client, signed("sync", "bot:plain", "server"));
    }

    List<String> lines = messages();
    assertThat(lines)
        .as("unsigned drop logged with escaped src, body as a length")
        .anyMatch(
            l ->
                l.startsWith("DROPPED unsigned packet")
                    && l.contains("src=bot:evil\\n2026")
                    && l.contains(body.length() + " body bytes"));
    assertThat(lines)
        .as("invalid-signature drops logged with escaped src")
        .filteredOn(l -> l.startsWith("DROPPED invalid sig"))
        .hasSize(2)
        .allMatch(l -> l.contains("src=bot:evil\\n2026"));
    assertThat(lines).as("malformed key logged").contains("Malformed pk: expected 32 bytes, got 31");
    assertThat(lines).noneMatch(RelayHardeningLogTest::hasControlCharacter);
    assertThat(lines).noneMatch(l -> l.contains(marker) || l.contains(tailMarker));
  }

  @Test
  @DisplayName("32 [ours] with logBodies the body is logged escaped and cut to 256 characters")
  void optInBodyLoggingIsEscapedAndTruncated() throws Exception {
    start(RelayConfig.builder().logBodies(true));
    try (RawKeepSocket client = RawKeepSocket.connect(relay.address())) {
      assertDone(client, signed("opt-in", "bot:debug", "server"));
    }

    List<String> lines = messages();
    assertThat(lines)
        .as("the body's first characters are logged, escaped")
        .anyMatch(l -> l.startsWith("From bot:debug") && l.contains(marker + "\\n2026/01/01") && l.contains("\\u0007"));
    assertThat(lines).as("nothing past 256 characters is logged").noneMatch(l -> l.contains(tailMarker));
    assertThat(lines).noneMatch(RelayHardeningLogTest::hasControlCharacter);
  }

  /** Verified packets to the server, an offline name, a discovery query, a scar, a conflict; then a disconnect. */
  private void exerciseEveryLoggedPath() throws IOException {
    try (RawKeepSocket evil = RawKeepSocket.connect(relay.address());
        RawKeepSocket rival = RawKeepSocket.connect(relay.address())) {
      assertDone(evil, signed("to-server", EVIL_SRC, "server"));
      Packet offline = evil.roundTrip(signed("to-offline", EVIL_SRC, "bot:nobody" + EVIL), PROMPT);
      assertThat(offline.getBody()).isEqualTo(KeepPackets.ERROR_OFFLINE);
      Packet discovery = evil.roundTrip(signed("discover", EVIL_SRC, "discover:" + EVIL), PROMPT);
      assertThat(discovery.getBody()).isEqualTo(KeepPackets.ERROR_UNKNOWN_DISCOVERY);
      Packet scar =
          KeepPackets.sign(
              Packet.newBuilder().setId("scar").setSrc(EVIL_SRC).setDst("server").setBody(body)
                  .setScar(ByteString.copyFromUtf8(EVIL)).build(),
              key);
      assertDone(evil, scar);
      Ed25519PrivateKey otherKey = Ed25519PrivateKey.generate(random);
      Packet conflict =
          rival.roundTrip(RawKeepSocket.signed(otherKey, "conflict", EVIL_SRC, "bot:nobody", body), PROMPT);
      assertThat(conflict.getBody()).isEqualTo(KeepPackets.ERROR_IDENTITY_CONFLICT);
    }
    await("both connections released").atMost(PROMPT).until(() -> relay.engine().stats().connections() == 0);
  }

  private void start(RelayConfig.Builder config) throws InterruptedException {
    relay =
        RelayListener.start(
            "127.0.0.1", 0, new RelayEngine(config.heartbeatInterval(Duration.ZERO).build(), Clock.systemUTC()));
  }

  private Packet signed(String id, String src, String dst) {
    return RawKeepSocket.signed(key, id, src, dst, body);
  }

  private static void assertDone(RawKeepSocket client, Packet request) throws IOException {
    assertThat(client.roundTrip(request, PROMPT).getBody())
        .as("reply to %s", request.getId())
        .isEqualTo(KeepPackets.DONE);
  }

  private List<String> messages() {
    synchronized (appender) { // appends are synchronized on the appender; relay threads may still log
      return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  private static boolean hasControlCharacter(String line) {
    return line.chars().anyMatch(Character::isISOControl);
  }
}
