package dev.handshake.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * keep.md §4 item 31 / §2.10 / §3 item 5: when accept fails (file descriptors exhausted) the
 * listener pauses accepting, 5 ms doubling to 1 s, instead of the reference's busy loop.
 */
class RelayHardeningAcceptBackoffTest {
  private static final IOException EMFILE = new IOException("Too many open files");

  @Test
  @DisplayName("31 [ours] accept back-off: each failure pauses accepts, the pause doubles 5 ms → 1 s and stays capped")
  void pauseDoublesUpToTheCap() {
    AcceptBackoff backoff = new AcceptBackoff(5, 1000);
    EmbeddedChannel listener = new EmbeddedChannel(backoff);
    List<Long> pauses = new ArrayList<>();

    for (int i = 0; i < 10; i++) {
      long pause = backoff.currentDelayMillis();
      pauses.add(pause);
      listener.pipeline().fireExceptionCaught(EMFILE);
      assertThat(listener.config().isAutoRead()).as("accepting paused after failure %d", i + 1).isFalse();
      listener.advanceTimeBy(pause - 1, TimeUnit.MILLISECONDS);
      listener.runScheduledPendingTasks();
      assertThat(listener.config().isAutoRead()).as("still paused 1 ms before the %d ms pause ends", pause).isFalse();
      listener.advanceTimeBy(1, TimeUnit.MILLISECONDS);
      listener.runScheduledPendingTasks();
      assertThat(listener.config().isAutoRead()).as("accepting resumes after the %d ms pause", pause).isTrue();
    }

    assertThat(pauses).containsExactly(5L, 10L, 20L, 40L, 80L, 160L, 320L, 640L, 1000L, 1000L);
    assertThat(backoff.failures()).isEqualTo(10);
  }

  @Test
  @DisplayName("31 [ours] accept back-off: a successful accept resets the pause to 5 ms and is passed on")
  void successfulAcceptResetsThePause() {
    AcceptBackoff backoff = new AcceptBackoff(5, 1000);
    EmbeddedChannel listener = new EmbeddedChannel(backoff);
    for (int i = 0; i < 4; i++) {
      listener.pipeline().fireExceptionCaught(EMFILE);
    }
    assertThat(backoff.currentDelayMillis()).isEqualTo(80);
    Object acceptedChild = new Object();

    listener.pipeline().fireChannelRead(acceptedChild);

    assertThat(backoff.currentDelayMillis()).as("pause after a successful accept").isEqualTo(5);
    Object passedOn = listener.readInbound();
    assertThat(passedOn).as("the accepted child travels on").isSameAs(acceptedChild);
  }

  @Test
  @DisplayName("31 [ours] accept back-off handles only I/O failures; anything else is passed on")
  void nonIoFailuresArePassedOn() {
    AcceptBackoff backoff = new AcceptBackoff(5, 1000);
    EmbeddedChannel listener = new EmbeddedChannel(backoff);

    listener.pipeline().fireExceptionCaught(new IllegalStateException("bug"));

    assertThatThrownBy(listener::checkException).isInstanceOf(IllegalStateException.class);
    assertThat(listener.config().isAutoRead()).as("accepting not paused for a non-I/O failure").isTrue();
    assertThat(backoff.failures()).isZero();
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  @DisplayName("31 [ours] `handshake serve` under `ulimit -n 128` with fds exhausted by 200+ relay clients uses < 30% of a core (no accept busy loop)")
  void noBusyLoopWhenFileDescriptorsRunOut() throws Exception {
    assumeThat(Files.isReadable(Path.of("/proc/self/stat"))).as("/proc is available").isTrue();
    assumeThat(Files.isExecutable(Path.of("/bin/bash"))).as("bash is available").isTrue();
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    int relayPort = freePort();
    List<String> command =
        List.of(
            java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-cp", System.getProperty("java.class.path"),
            "dev.handshake.server.cli.HandshakeCommand", "serve",
            "--port", "0", "--relay-port", Integer.toString(relayPort),
            "--relay-max-connections-per-address", "100000", "--no-demo");
    Process child =
        new ProcessBuilder(concat(List.of("/bin/bash", "-c", "ulimit -n 128 && exec \"$@\"", "bash"), command))
            .start();
    List<String> stdout = new CopyOnWriteArrayList<>();
    List<String> stderr = new CopyOnWriteArrayList<>();
    drain(child.getInputStream(), stdout);
    drain(child.getErrorStream(), stderr);
    List<Socket> clients = new ArrayList<>();
    try {
      awaitLine(stdout, "Relay (keep-protocol) on", Duration.ofSeconds(30), child, stderr);

      for (int i = 0; i < 400 && (i < 200 || !anyLine(stderr, "Accept failed")); i++) {
        Socket s = new Socket();
        try {
          s.connect(new InetSocketAddress("127.0.0.1", relayPort), 2_000);
          clients.add(s);
        } catch (IOException e) {
          s.close();
          break; // the accept queue is full as well
        }
        if (i >= 200) {
          Thread.sleep(5);
        }
      }
      assertThat(clients).as("client connections opened").hasSizeGreaterThanOrEqualTo(200);
      awaitLine(stderr, "Accept failed", Duration.ofSeconds(10), child, stderr);
      Thread.sleep(2_000); // let the pause reach its 1 s cap and start-up work settle

      long clockTicks = clockTicksPerSecond();
      long cpuBefore = cpuTicks(child.pid());
      long t0 = System.nanoTime();
      Thread.sleep(3_000);
      long cpuAfter = cpuTicks(child.pid());
      double seconds = (System.nanoTime() - t0) / 1e9;
      double coreShare = (cpuAfter - cpuBefore) / (double) clockTicks / seconds;

      assertThat(child.isAlive()).as("the server survives fd exhaustion").isTrue();
      assertThat(coreShare)
          .as("share of one core used by the server while accepts keep failing (a busy loop is ~1.0); stderr: %s",
              tail(stderr))
          .isLessThan(0.30);
    } finally {
      for (Socket s : clients) {
        s.close();
      }
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void drain(InputStream in, List<String> lines) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // the child went away
              }
            },
            "child-output");
    t.setDaemon(true);
    t.start();
  }

  private static boolean anyLine(List<String> lines, String fragment) {
    return lines.stream().anyMatch(l -> l.contains(fragment));
  }

  private static void awaitLine(
      List<String> lines, String fragment, Duration timeout, Process child, List<String> stderr)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!anyLine(lines, fragment) && System.nanoTime() < deadline && child.isAlive()) {
      Thread.sleep(20);
    }
    assertThat(anyLine(lines, fragment))
        .as("child printed \"%s\" (alive=%s); stderr: %s", fragment, child.isAlive(), tail(stderr))
        .isTrue();
  }

  private static String tail(List<String> lines) {
    List<String> copy = new ArrayList<>(lines);
    return String.join("\n", copy.subList(Math.max(0, copy.size() - 20), copy.size()));
  }

  /** utime + stime of {@code pid} in clock ticks (proc(5): fields 14 and 15). */
  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // fields[0] is field 3 (state), so field n is fields[n - 3].
    return Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
  }

  private static long clockTicksPerSecond() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor(5, TimeUnit.SECONDS);
    try {
      return Long.parseLong(out);
    } catch (NumberFormatException e) {
      return 100;
    }
  }
}
