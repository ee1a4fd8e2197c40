package dev.handshake.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handshake.pairing.PairingConfig;
import dev.handshake.pairing.PepperFingerprint;
import dev.handshake.pairing.dpop.DpopConfig;
import dev.handshake.pairing.http.PairingHttpApi;
import dev.handshake.store.postgres.PostgresServer;
import dev.handshake.store.redis.EmbeddedRedis;
import dev.handshake.store.redis.RedisPepperFingerprintStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up check that every node sharing pairing hashes with one pepper (issue 7), on a real
 * Redis ({@code serve --redis}) and a real PostgreSQL ({@code serve --db}): the same {@code
 * pairing.pepper} on two nodes and both start; another on the second and it is refused, by {@code
 * serve} too, with a message naming the store and the file to copy. What the store keeps is an
 * HMAC of a fixed label under the pepper, never the pepper.
 */
class SharedPepperCheckTest {
  @RegisterExtension static final PostgresServer POSTGRES = new PostgresServer();
  static EmbeddedRedis redis;

  @TempDir Path dataA;
  @TempDir Path dataB;
  final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeAll
  static void startRedis() {
    redis = EmbeddedRedis.startOnFreePort();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void empty() {
    redis.flushAll();
    POSTGRES.truncate("pairing_pepper_check");
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }

  SharedState onRedis() throws Exception {
    return track(SharedState.open(Optional.of(redis.url()), Optional.empty()));
  }

  SharedState onPostgres() throws Exception {
    return track(SharedState.open(Optional.empty(), Optional.of(POSTGRES.pg().url())));
  }

  <T extends AutoCloseable> T track(T c) {
    opened.add(c);
    return c;
  }

  /** Pairing as {@code serve} opens it (the pepper of {@code data}, created on first use). */
  ServerPairing startPairing(Path data, SharedState shared) throws Exception {
    return track(ServerPairing.open(data, "127.0.0.1", PairingConfig.defaults(),
        PairingHttpApi.Settings.DEFAULTS, Optional.empty(), Optional.empty(), Set.of(),
        DpopConfig.defaults(), shared, Clock.systemUTC()));
  }

  void copyPepper(Path from, Path to) throws Exception {
    Files.copy(from.resolve(ServerPairing.PEPPER_FILE), to.resolve(ServerPairing.PEPPER_FILE),
        StandardCopyOption.COPY_ATTRIBUTES);
  }

  static String pepperHex(Path data) throws Exception {
    return Files.readString(data.resolve(ServerPairing.PEPPER_FILE)).strip();
  }

  /** The expected fingerprint, computed here from the file rather than by the code under test. */
  static String expectedFingerprint(Path data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(HexFormat.of().parseHex(pepperHex(data)), "HmacSHA256"));
    return HexFormat.of()
        .formatHex(mac.doFinal(PepperFingerprint.LABEL.getBytes(StandardCharsets.UTF_8)));
  }

  /** Whether Redis holds exactly {@code value} under the fingerprint key. */
  static boolean redisHolds(String value) {
    return redis.command("EVAL", "return redis.call('GET', KEYS[1]) == ARGV[1] and 1 or 0", "1",
        "hs:" + RedisPepperFingerprintStore.KEY, value).equals(":1");
  }

  static List<String> postgresRows() {
    return POSTGRES.db().withConnection("test", c -> {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT fingerprint FROM pairing_pepper_check")) {
        List<String> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(rs.getString(1));
        }
        return rows;
      }
    });
  }

  @Test
  void twoNodesWithTheSamePepperBothStartOnRedis() throws Exception {
    startPairing(dataA, onRedis());
    copyPepper(dataA, dataB);

    assertThat(startPairing(dataB, onRedis())).isNotNull();
  }

  @Test
  void aNodeWithAnotherPepperIsRefusedOnRedisNamingTheStoreAndTheFile() throws Exception {
    startPairing(dataA, onRedis());
    SharedState nodeB = onRedis();

    assertThatThrownBy(() -> startPairing(dataB, nodeB))
        .isInstanceOf(PepperMismatchException.class)
        .hasMessageContaining("Redis at " + redis.url())
        .hasMessageContaining(dataB.resolve("pairing.pepper").toString())
        .hasMessageContaining("Copy pairing.pepper from the data folder of the first node")
        .hasMessageNotContaining(pepperHex(dataA))
        .hasMessageNotContaining(pepperHex(dataB))
        .hasMessageNotContaining(expectedFingerprint(dataA));
    assertThat(redisHolds(expectedFingerprint(dataA))).as("node A's record stays").isTrue();
  }

  @Test
  void redisHoldsTheFingerprintOfTheFirstNodesPepperNotThePepper() throws Exception {
    startPairing(dataA, onRedis());

    assertThat(redisHolds(expectedFingerprint(dataA))).isTrue();
    assertThat(expectedFingerprint(dataA)).isNotEqualTo(pepperHex(dataA));
    assertThat(redisHolds(pepperHex(dataA))).isFalse();
  }

  @Test
  void twoNodesWithTheSamePepperBothStartOnPostgres() throws Exception {
    startPairing(dataA, onPostgres());
    copyPepper(dataA, dataB);

    assertThat(startPairing(dataB, onPostgres())).isNotNull();
  }

  @Test
  void aNodeWithAnotherPepperIsRefusedOnPostgresNamingTheStoreAndTheFile() throws Exception {
    startPairing(dataA, onPostgres());
    SharedState nodeB = onPostgres();

    assertThatThrownBy(() -> startPairing(dataB, nodeB))
        .isInstanceOf(PepperMismatchException.class)
        .hasMessageContaining("PostgreSQL at " + POSTGRES.config().address())
        .hasMessageContaining(dataB.resolve("pairing.pepper").toString())
        .hasMessageContaining("Copy pairing.pepper from the data folder of the first node")
        .hasMessageNotContaining(POSTGRES.pg().password())
        .hasMessageNotContaining(pepperHex(dataB));
  }

  @Test
  void postgresHoldsTheFingerprintOfTheFirstNodesPepperNotThePepper() throws Exception {
    startPairing(dataA, onPostgres());
    copyPepper(dataA, dataB);
    startPairing(dataB, onPostgres());

    assertThat(postgresRows()).containsExactly(expectedFingerprint(dataA));
    assertThat(postgresRows()).doesNotContain(pepperHex(dataA));
  }

  @Test
  void withRedisAndDbThePepperIsCheckedWhereThePairingIsInPostgres() throws Exception {
    SharedState both =
        track(SharedState.open(Optional.of(redis.url()), Optional.of(POSTGRES.pg().url())));
    startPairing(dataA, both);

    assertThat(postgresRows()).containsExactly(expectedFingerprint(dataA));
    assertThat(redis.command("EXISTS", "hs:" + RedisPepperFingerprintStore.KEY)).isEqualTo(":0");
    assertThatThrownBy(() -> startPairing(dataB, onPostgres()))
        .isInstanceOf(PepperMismatchException.class);
  }

  @Test
  void embeddedPairingChecksNothing() throws Exception {
    startPairing(dataA, SharedState.embedded());
    startPairing(dataB, SharedState.embedded());

    assertThat(redis.command("EXISTS", "hs:" + RedisPepperFingerprintStore.KEY)).isEqualTo(":0");
    assertThat(postgresRows()).isEmpty();
  }

  @Test
  void serveWithAnotherPepperThanTheOtherNodesExitsWithTheMessage() throws Exception {
    startPairing(dataA, onRedis());
    String javaBin = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Process child = new ProcessBuilder(javaBin, "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), "dev.handshake.server.cli.HandshakeCommand",
        "serve", "--port", "0", "--no-demo", "--audit=false", "--relay-port", "0",
        "--data", dataB.toString(), "--redis", redis.url())
        .redirectErrorStream(true).start();
    StringBuilder out = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          synchronized (out) {
            out.append(line).append('\n');
          }
        }
      } catch (java.io.IOException e) {
        // the child went away
      }
    }, "child-output");
    reader.setDaemon(true);
    reader.start();
    try {
      boolean exited = child.waitFor(60, TimeUnit.SECONDS);
      reader.join(5_000);
      String text;
      synchronized (out) {
        text = out.toString();
      }
      assertThat(exited).as("serve must refuse to start, not serve: %s", text).isTrue();
      assertThat(child.exitValue()).as(text).isEqualTo(2);
      assertThat(text)
          .contains("serve: " + dataB.resolve("pairing.pepper")
              + " is not the pepper of the nodes already sharing pairing in Redis at "
              + redis.url())
          .doesNotContain("Handshake is serving")
          .doesNotContain(pepperHex(dataA))
          .doesNotContain(pepperHex(dataB))
          .doesNotContain(expectedFingerprint(dataB));
    } finally {
      child.destroyForcibly();
    }
  }
}
