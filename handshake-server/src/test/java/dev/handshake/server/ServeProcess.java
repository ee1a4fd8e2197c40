package dev.handshake.server;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A {@code handshake serve} node in a child JVM, for tests that need a real process: one that
 * can be killed with SIGKILL, so no shutdown hook releases anything. Its stdout and stderr are
 * read into {@link #output()} on a daemon thread; {@link #close()} always kills it.
 */
public final class ServeProcess implements AutoCloseable {
  /** What {@code serve} prints once its HTTP listener is up, followed by the base URI. */
  public static final String SERVING = "Handshake is serving on ";
  /** What {@code serve} prints for its keep-protocol listener (after {@link #SERVING}). */
  public static final String RELAY = "Relay (keep-protocol) on ";

  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();

  private ServeProcess(Process process) {
    this.process = process;
    Thread reader = new Thread(this::readOutput, "serve-" + process.pid() + "-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code handshake serve} with {@code serveArgs} on this test's class path (small heap,
   * C1 only, so that two nodes start quickly on two cores).
   */
  public static ServeProcess start(String... serveArgs) {
    String javaBin = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new ArrayList<>(List.of(javaBin, "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), "dev.handshake.server.cli.HandshakeCommand", "serve"));
    command.addAll(List.of(serveArgs));
    try {
      return new ServeProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + javaBin, e);
    }
  }

  /** A loopback port free at the time of the call, for flags where 0 means "off" (--relay-port). */
  public static int freePort() {
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return free.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The first output line starting with {@code prefix}, waiting up to {@code within} for it;
   * fails the test with everything the node printed if it exits or stays silent.
   */
  public String awaitLine(String prefix, Duration within) {
    await().atMost(within).pollInterval(Duration.ofMillis(50))
        .until(() -> line(prefix).isPresent() || !process.isAlive());
    return line(prefix).orElseThrow(
        () -> new AssertionError("serve printed no '" + prefix.strip() + "' line: " + output));
  }

  /** Waits for the HTTP listener (see {@link #awaitLine}) and answers its base URI. */
  public URI awaitServing(Duration within) {
    return URI.create(awaitLine(SERVING, within).substring(SERVING.length()).split("\\s+")[0]);
  }

  /** The first output line starting with {@code prefix} so far. */
  public Optional<String> line(String prefix) {
    return output.stream().filter(l -> l.startsWith(prefix)).findFirst();
  }

  /** Every line the node printed so far (stdout and stderr merged). */
  public List<String> output() {
    return List.copyOf(output);
  }

  /**
   * Sends SIGKILL (no shutdown hook runs: nothing is released or flushed) and answers the exit
   * code once the process is gone (137 on Linux).
   */
  public int kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("serve " + process.pid() + " survived SIGKILL for 30 s");
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  private void readOutput() {
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        output.add(line);
      }
    } catch (IOException e) {
      // the child went away
    }
  }
}
