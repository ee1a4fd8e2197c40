package dev.handshake.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handshake.client.relay.RelayClient;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.identity.KeyFile;
import dev.handshake.identity.KeyFiles;
import dev.handshake.identity.KeyFormat;
import dev.handshake.identity.LoadedKey;
import dev.handshake.identity.Passphrase;
import dev.handshake.identity.PassphraseSource;
import dev.handshake.json.Json;
import dev.handshake.relay.RelayConfig;
import dev.handshake.relay.RelayEngine;
import dev.handshake.server.relay.RelayListener;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/** {@code handshake relay send|listen|discover} run in-process against the real relay. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RelayCommandTest {
  private static final String PASSPHRASE = "relay test passphrase";

  /** The only environment variable the commands see; no terminal. */
  private static final CommandEnvironment ENVIRONMENT =
      new CommandEnvironment(
          Map.of("HS_PASS", PASSPHRASE)::get,
          SecretPrompt.none(),
          Clock.systemUTC(),
          new SecureRandom());

  private RelayListener relay;

  /** One in-process run of the {@code handshake} command. */
  private record Run(int exit, String out, String err) {}

  @BeforeEach
  void startRelay() throws InterruptedException {
    relay =
        RelayListener.start(
            "127.0.0.1", 0, new RelayEngine(RelayConfig.defaults(), Clock.systemUTC()));
  }

  @AfterEach
  void stopRelay() {
    relay.close();
  }

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new HandshakeCommand(ENVIRONMENT));
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int exit = cmd.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private String port() {
    return Integer.toString(relay.port());
  }

  @Test
  void sendToTheServerPrintsDoneAndExitsZero() {
    Run r = run("relay", "send", "--src", "bot:cli", "--port", port(), "hello");

    assertThat(r.exit()).as("exit code; stderr: %s", r.err()).isZero();
    assertThat(r.out().strip()).isEqualTo("done");
  }

  @Test
  void sendPrintsAnErrorReplyAndExitsOne() {
    Run r = run("relay", "send", "--src", "bot:cli", "--dst", "discover:nope", "--port", port(), "x");

    assertThat(r.exit()).isEqualTo(RelayCommand.EXIT_ERROR_REPLY);
    assertThat(r.out().strip()).isEqualTo("error:unknown_discovery");
  }

  @Test
  void sendExitsTwoWhenNoRelayListens() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }

    Run r = run("relay", "send", "--src", "bot:cli", "--port", Integer.toString(closedPort), "x");

    assertThat(r.exit()).isEqualTo(RelayCommand.EXIT_IO);
    assertThat(r.err()).contains("relay send failed");
  }

  @Test
  void discoverInfoPrintsTheVersionJson() {
    Run r = run("relay", "discover", "info", "--port", port());

    assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
    JsonNode info = Json.tryParse(r.out().strip().getBytes(StandardCharsets.UTF_8)).orElseThrow();
    assertThat(info.path("version").asString()).isEqualTo("0.3.0");
    assertThat(info.has("agents_online")).isTrue();
  }

  @Test
  void listenPrintsAPacketSentByAnotherInvocationAsOneJsonLine() throws Exception {
    CompletableFuture<Run> listening =
        CompletableFuture.supplyAsync(
            () -> run("relay", "listen", "--src", "bot:ear", "--port", port(),
                "--count", "1", "--timeout", "20s"));
    await().atMost(Duration.ofSeconds(10)).until(this::earIsRegistered);

    Run sent = run("relay", "send", "--src", "bot:mouth", "--dst", "bot:ear", "--id", "m1",
        "--port", port(), "psst");
    Run heard = listening.get(20, TimeUnit.SECONDS);

    assertThat(sent.exit()).isZero();
    assertThat(sent.out()).as("a forward prints nothing").isEmpty();
    assertThat(heard.exit()).as("stderr: %s", heard.err()).isZero();
    assertThat(heard.out().strip())
        .isEqualTo("{\"id\":\"m1\",\"src\":\"bot:mouth\",\"dst\":\"bot:ear\",\"typ\":0,"
            + "\"body\":\"psst\",\"verified\":true}");
  }

  @Test
  void listenExitsZeroWhenTheTimeoutPassesWithNothingReceived() {
    Run r = run("relay", "listen", "--src", "bot:quiet", "--port", port(), "--timeout", "300ms");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEmpty();
  }

  @Test
  void keyOutSavesTheGeneratedKeyEncryptedAndKeyThenSignsWithIt(@TempDir Path dir)
      throws Exception {
    Path keyFile = dir.resolve("agent.key");

    Run first = run("relay", "send", "--src", "bot:keyed", "--port", port(), "--key-out",
        keyFile.toString(), "--passphrase-env", "HS_PASS", "--scrypt-n", "16384", "one");
    Run second = run("relay", "send", "--src", "bot:keyed", "--port", port(), "--key",
        keyFile.toString(), "--passphrase-env", "HS_PASS", "two");

    LoadedKey saved =
        KeyFiles.load(keyFile, PassphraseSource.of(Passphrase.copyOf(PASSPHRASE)));
    String seedHex = HexFormat.of().formatHex(saved.key().exportSeed());
    assertThat(first.exit()).as("stderr: %s", first.err()).isZero();
    assertThat(second.exit()).as("stderr: %s", second.err()).isZero();
    assertThat(saved.format()).isEqualTo(KeyFormat.HANDSHAKE_ENCRYPTED);
    assertThat(Files.readString(keyFile)).contains(saved.key().publicKey().base64());
    assertThat(first.out() + first.err() + second.out() + second.err())
        .as("the seed is never printed")
        .doesNotContain(seedHex);
  }

  @Test
  void keyOutWithoutAnyPassphraseExitsTwoAndWritesNothing(@TempDir Path dir) {
    Path keyFile = dir.resolve("agent.key");

    Run r = run("relay", "send", "--src", "bot:cli", "--port", port(), "--key-out",
        keyFile.toString(), "x");

    assertThat(r.exit()).isEqualTo(RelayCommand.EXIT_IO);
    assertThat(r.err()).contains("no passphrase: pass --passphrase-env VAR or run on a terminal");
    assertThat(keyFile).doesNotExist();
  }

  @Test
  void aPlaintextKeyFileStillSignsButDrawsAWarning(@TempDir Path dir) throws Exception {
    Path keyFile = dir.resolve("legacy.key");
    KeyFile.save(keyFile, Ed25519PrivateKey.generate(new SecureRandom()));

    Run r = run("relay", "send", "--src", "bot:legacy", "--port", port(), "--key",
        keyFile.toString(), "hello");

    assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
    assertThat(r.err()).contains("warning:").contains("UNENCRYPTED").contains("id import");
  }

  @Test
  void keyAndKeyOutTogetherAreAUsageError(@TempDir Path dir) {
    Run r = run("relay", "send", "--src", "bot:cli", "--port", port(), "--key",
        dir.resolve("a").toString(), "--key-out", dir.resolve("b").toString(), "x");

    assertThat(r.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(r.err()).contains("--key and --key-out");
  }

  private boolean earIsRegistered() throws Exception {
    RelayClient probe = RelayClient.builder().src("").port(relay.port()).build();
    return probe.discoverAgents().contains("bot:ear");
  }
}
