package dev.handshake.store.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} for tests: one process on a random free port of 127.0.0.1, its
 * working folder a fresh temporary directory, no persistence ({@code --save ""}, {@code
 * --appendonly no}). {@link #stop()} and {@link #start()} take it down and bring it back on the
 * same port, and {@link #freeze()} / {@link #thaw()} make it stop answering without closing
 * connections, so tests can play the faults a deployment meets. {@link #close()} kills it and
 * deletes the folder; a JVM shutdown hook does the same if a test run dies first.
 *
 * <pre>{@code
 * try (EmbeddedRedis redis = EmbeddedRedis.startOnFreePort()) {
 *   RedisConnection c = RedisConnection.open(redis.url());
 * }
 * }</pre>
 *
 * <p>The binary is {@code redis-server} from {@code PATH}, or the file named by the environment
 * variable {@code REDIS_SERVER}. When it is missing the test fails (it does not skip) with the
 * command that installs it.
 */
public final class EmbeddedRedis implements AutoCloseable {
  /** What to run when {@code redis-server} is missing (Debian and Ubuntu). */
  public static final String INSTALL_HINT = "apt-get install -y redis-server";

  private static final Duration STARTUP = Duration.ofSeconds(20);
  private static final Duration SHUTDOWN = Duration.ofSeconds(10);
  private static final int PORT_ATTEMPTS = 5;

  private final Path binary;
  private final Path dir;
  private final Thread shutdownHook;
  private int port;
  private Process process;
  private boolean frozen;

  private EmbeddedRedis(Path binary, Path dir) {
    this.binary = binary;
    this.dir = dir;
    this.shutdownHook = new Thread(this::killQuietly, "embedded-redis-cleanup");
  }

  /** Starts a server on a free loopback port; fails with an install hint when there is none. */
  public static EmbeddedRedis startOnFreePort() {
    Path binary = findBinary();
    Path dir;
    try {
      dir = Files.createTempDirectory("handshake-redis-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    EmbeddedRedis redis = new EmbeddedRedis(binary, dir);
    Runtime.getRuntime().addShutdownHook(redis.shutdownHook);
    IllegalStateException last = null;
    for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
      redis.port = freePort();
      try {
        redis.spawn();
        return redis;
      } catch (IllegalStateException e) {
        // another process took the port between probing and binding: try another
        last = e;
      }
    }
    redis.close();
    throw last;
  }

  private static Path findBinary() {
    String override = System.getenv("REDIS_SERVER");
    if (override != null && !override.isBlank()) {
      Path p = Path.of(override);
      if (Files.isExecutable(p)) {
        return p;
      }
      throw new AssertionError("REDIS_SERVER=" + override + " is not an executable file");
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String entry : path.split(java.io.File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(entry, "redis-server");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError(
        "redis-server is not installed, and the Redis store tests need a real one: install it"
            + " with `"
            + INSTALL_HINT
            + "` (or set REDIS_SERVER to the binary)");
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The connection URL, {@code redis://127.0.0.1:PORT}. */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** The URL of logical database {@code db}. */
  public String url(int db) {
    return url() + "/" + db;
  }

  public int port() {
    return port;
  }

  /** The server's working folder (deleted by {@link #close()}). */
  public Path directory() {
    return dir;
  }

  /** Whether the process is running (it may be frozen). */
  public synchronized boolean running() {
    return process != null && process.isAlive();
  }

  /**
   * Starts the server again on the same port after {@link #stop()} or {@link #kill()}, empty
   * (nothing is persisted); a no-op when it is running.
   */
  public synchronized void start() {
    if (!running()) {
      spawn();
    }
  }

  private synchronized void spawn() {
    List<String> command =
        List.of(
            binary.toString(),
            "--port",
            Integer.toString(port),
            "--bind",
            "127.0.0.1",
            "--protected-mode",
            "yes",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            dir.toString(),
            "--daemonize",
            "no");
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()));
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + binary, e);
    }
    frozen = false;
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "redis-server exited with " + process.exitValue() + " on port " + port + ": " + log());
      }
      if (pingAnswers()) {
        return;
      }
      pause(20);
    }
    process.destroyForcibly();
    throw new IllegalStateException(
        "redis-server did not answer PING within " + STARTUP + ": " + log());
  }

  private boolean pingAnswers() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      s.setSoTimeout(500);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] reply = in.readNBytes(7);
      return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException e) {
      return false;
    }
  }

  /** Deletes every key of every database, to give the next test a clean server. */
  public void flushAll() {
    String reply = command("FLUSHALL");
    if (!reply.equals("+OK")) {
      throw new IllegalStateException("FLUSHALL answered " + reply);
    }
  }

  /**
   * Sends one command over a fresh plain socket and returns the first line of the reply ({@code
   * +OK}, {@code :42}, {@code $-1}, {@code -ERR …}), for tests that look at Redis directly without
   * the client under test.
   */
  public String command(String... args) {
    StringBuilder resp = new StringBuilder("*").append(args.length).append("\r\n");
    for (String a : args) {
      resp.append('$')
          .append(a.getBytes(StandardCharsets.UTF_8).length)
          .append("\r\n")
          .append(a)
          .append("\r\n");
    }
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
      s.setSoTimeout(5_000);
      OutputStream out = s.getOutputStream();
      out.write(resp.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\r') {
        line.append((char) c);
      }
      return line.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "redis-server on port " + port + " did not answer " + args[0], e);
    }
  }

  /** Shuts the server down (SIGTERM, then SIGKILL after 10 s); its data is gone. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    if (frozen) {
      thaw();
    }
    process.destroy();
    try {
      if (!process.waitFor(SHUTDOWN.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(SHUTDOWN.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    process = null;
  }

  /** Kills the server with SIGKILL, as a crash would. */
  public synchronized void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor(SHUTDOWN.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
    frozen = false;
  }

  /**
   * Suspends the process (SIGSTOP): connections stay open but nothing is answered, which is what a
   * hung server or a network partition looks like to a client.
   */
  public synchronized void freeze() {
    signal("-STOP");
    frozen = true;
  }

  /** Resumes a frozen process (SIGCONT). */
  public synchronized void thaw() {
    signal("-CONT");
    frozen = false;
  }

  private void signal(String signal) {
    if (process == null || !process.isAlive()) {
      throw new IllegalStateException("redis-server is not running");
    }
    try {
      Process kill =
          new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
      if (!kill.waitFor(SHUTDOWN.toMillis(), TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling redis-server", e);
    }
  }

  /** The server's log so far, for failure messages. */
  public String log() {
    try {
      return Files.readString(dir.resolve("redis.log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Kills the server and deletes its folder. */
  @Override
  public synchronized void close() {
    killQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or has run
    }
    deleteRecursively(dir);
  }

  private void killQuietly() {
    Process p = process;
    if (p != null) {
      if (frozen) {
        try {
          signal("-CONT");
        } catch (RuntimeException ignored) {
          // SIGKILL below works on a stopped process too
        }
      }
      p.destroyForcibly();
      try {
        p.waitFor(SHUTDOWN.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for redis-server", e);
    }
  }
}
