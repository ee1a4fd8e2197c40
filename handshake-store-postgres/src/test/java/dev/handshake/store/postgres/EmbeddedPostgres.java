package dev.handshake.store.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server for tests: {@code initdb} into a temporary folder, {@code pg_ctl
 * start} on a free loopback port, one database created; {@link #close} stops it with {@code pg_ctl
 * -m immediate} and deletes the folder.
 *
 * <p>The server binaries are looked up in the folder named by the system property {@value
 * #BIN_PROPERTY}, then on {@code PATH}, then under {@code /usr/lib/postgresql/<version>/bin} (where
 * Debian's {@code postgresql} package puts them; the newest version wins). When none is found the
 * test fails with the package to install, it is not skipped.
 *
 * <p>{@code initdb} refuses to run as root, so when the JVM runs as root every server command runs
 * as an unprivileged user ({@value #DEFAULT_OS_USER} by default, which the Debian package creates;
 * override with {@value #OS_USER_PROPERTY}) through {@code runuser -u <user> --}, and the temporary
 * folder is handed to that user. The socket directory is the temporary folder too, so no system
 * folder ({@code /var/run/postgresql}) is needed.
 *
 * <p>{@link #kill9} kills the postmaster and all its children with SIGKILL, as a crash would;
 * {@link #start} brings the server back on the same folder and port, running crash recovery.
 */
public final class EmbeddedPostgres implements AutoCloseable {
  /** A folder holding {@code initdb} and {@code pg_ctl}, tried before {@code PATH}. */
  public static final String BIN_PROPERTY = "handshake.test.postgres.bin";

  /** The user the server runs as when the JVM runs as root. */
  public static final String OS_USER_PROPERTY = "handshake.test.postgres.user";

  static final String DEFAULT_OS_USER = "postgres";
  static final String USER = "handshake";
  static final String DATABASE = "handshake_test";
  private static final String INSTALL_HINT =
      "install the PostgreSQL server (Debian/Ubuntu: apt-get install -y postgresql), or set -D"
          + BIN_PROPERTY
          + "=<folder with initdb and pg_ctl>";
  private static final long COMMAND_TIMEOUT_SECONDS = 120;

  private final Path bin;
  private final Path root;
  private final Path data;
  private final Path log;
  private final Optional<String> osUser;
  private final String password;
  private final int port;
  private final Thread shutdownHook = new Thread(this::close, "embedded-postgres-cleanup");
  private boolean running;

  private EmbeddedPostgres(
      Path bin, Path root, Optional<String> osUser, String password, int port) {
    this.bin = bin;
    this.root = root;
    this.data = root.resolve("data");
    this.log = root.resolve("postgres.log");
    this.osUser = osUser;
    this.password = password;
    this.port = port;
  }

  /**
   * Creates, starts and fills a new server: a cluster in a new temporary folder, a database {@value
   * #DATABASE} owned by {@value #USER} with a random password.
   *
   * @throws IllegalStateException when the binaries are missing, or the JVM runs as root and the
   *     unprivileged user does not exist (the message says what to install or set)
   */
  public static EmbeddedPostgres create() {
    Path bin = findBinaries();
    Optional<String> osUser = runningAsRoot() ? Optional.of(unprivilegedUser()) : Optional.empty();
    Path root;
    try {
      root = Files.createTempDirectory(baseFolder(osUser.isPresent()), "handshake-pg-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary folder for PostgreSQL", e);
    }
    byte[] secret = new byte[18];
    new SecureRandom().nextBytes(secret);
    EmbeddedPostgres pg =
        new EmbeddedPostgres(bin, root, osUser, HexFormat.of().formatHex(secret), freePort());
    // A JVM that exits without closing (a test run cut short) still stops the server.
    Runtime.getRuntime().addShutdownHook(pg.shutdownHook);
    try {
      pg.initdb();
      pg.start();
      pg.createDatabase();
      return pg;
    } catch (RuntimeException e) {
      pg.close();
      throw e;
    }
  }

  /** {@code postgresql://user:password@127.0.0.1:port/db}, the form {@code --db} takes. */
  public String url() {
    return "postgresql://" + USER + ":" + password + "@127.0.0.1:" + port + "/" + DATABASE;
  }

  /** {@code jdbc:postgresql://127.0.0.1:port/db} (without credentials). */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
  }

  public String user() {
    return USER;
  }

  public String password() {
    return password;
  }

  public int port() {
    return port;
  }

  /** The cluster's data folder ({@code PGDATA}). */
  public Path dataDirectory() {
    return data;
  }

  public synchronized boolean isRunning() {
    return running;
  }

  /**
   * Starts the server on the existing data folder (again, after {@link #stop} or {@link #kill9});
   * returns when it accepts connections.
   */
  public synchronized void start() {
    if (running) {
      return;
    }
    String options =
        "-c listen_addresses=127.0.0.1 -p "
            + port
            + " -c unix_socket_directories="
            + root
            + " -c max_connections=60 -c shared_buffers=16MB -c fsync=on";
    run(
        List.of(
            pgCtl(),
            "-D",
            data.toString(),
            "-l",
            log.toString(),
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "start"),
        "pg_ctl start");
    running = true;
  }

  /** Stops the server with {@code pg_ctl -m immediate} (no checkpoint), keeping the folder. */
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    run(
        List.of(pgCtl(), "-D", data.toString(), "-m", "immediate", "-w", "-t", "60", "stop"),
        "pg_ctl stop");
  }

  /**
   * Kills the postmaster and every process it started with SIGKILL, as a crash or an OOM kill
   * would, and waits until they are gone. The next {@link #start} runs WAL recovery.
   */
  public synchronized void kill9() {
    ProcessHandle postmaster =
        postmaster()
            .orElseThrow(() ->
                new IllegalStateException(
                    "no postmaster.pid in " + data + ": is the server running?"));
    List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
    all.addFirst(postmaster);
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle p : all) {
      try {
        p.onExit().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("process " + p.pid() + " survived SIGKILL", e);
      }
    }
    running = false;
  }

  /** Stops the server (immediate) and deletes its folder; safe to call twice. */
  @Override
  public synchronized void close() {
    try {
      if (running) {
        stop();
      }
    } catch (RuntimeException e) {
      postmaster().ifPresent(ignored -> kill9());
    } finally {
      deleteRecursively(root);
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException ignored) {
        // the JVM is shutting down: this is the hook
      }
    }
  }

  private Optional<ProcessHandle> postmaster() {
    Path pidFile = data.resolve("postmaster.pid");
    try {
      if (!Files.exists(pidFile)) {
        return Optional.empty();
      }
      String first = Files.readAllLines(pidFile, StandardCharsets.US_ASCII).getFirst().trim();
      return ProcessHandle.of(Long.parseLong(first));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private void initdb() {
    Path pwfile = root.resolve("pwfile");
    try {
      Files.writeString(pwfile, password + "\n", StandardCharsets.US_ASCII);
      Files.setPosixFilePermissions(pwfile, PosixFilePermissions.fromString("rw-------"));
      if (osUser.isPresent()) {
        UserPrincipal owner =
            root.getFileSystem()
                .getUserPrincipalLookupService()
                .lookupPrincipalByName(osUser.get());
        Files.setOwner(root, owner);
        Files.setOwner(pwfile, owner);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + root + " for initdb", e);
    }
    try {
      run(
          List.of(
              bin.resolve("initdb").toString(),
              "-D",
              data.toString(),
              "-U",
              USER,
              "--pwfile=" + pwfile,
              "--auth-local=trust", // the socket sits in our 0700 folder
              "--auth-host=scram-sha-256",
              "-E",
              "UTF8",
              "--locale=C",
              "--no-sync",
              "--no-instructions"),
          "initdb");
    } finally {
      try {
        Files.deleteIfExists(pwfile);
      } catch (IOException ignored) {
        // the folder is deleted on close anyway
      }
    }
  }

  private void createDatabase() {
    Properties props = new Properties();
    props.setProperty("user", USER);
    props.setProperty("password", password);
    props.setProperty("connectTimeout", "10");
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/postgres", props);
        Statement s = c.createStatement()) {
      s.executeUpdate("CREATE DATABASE " + DATABASE + " OWNER " + USER);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create database " + DATABASE + ": " + e.getMessage(), e);
    }
  }

  private String pgCtl() {
    return bin.resolve("pg_ctl").toString();
  }

  private void run(List<String> command, String what) {
    List<String> full = new ArrayList<>();
    osUser.ifPresent(u -> full.addAll(List.of("runuser", "-u", u, "--")));
    full.addAll(command);
    Path output = root.resolve(what.replace(' ', '-') + ".out");
    ProcessBuilder pb = new ProcessBuilder(full).directory(root.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("PG")); // PGDATA, PGPORT, ... from the CI
    pb.redirectErrorStream(true).redirectOutput(output.toFile());
    try {
      Process p = pb.start();
      if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(
            what + " did not finish in " + COMMAND_TIMEOUT_SECONDS + "s");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            what
                + " failed (exit "
                + p.exitValue()
                + "): "
                + tail(output)
                + "\nserver log: "
                + tail(log));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + full, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + what, e);
    }
  }

  private static String tail(Path file) {
    try {
      if (!Files.exists(file)) {
        return "(no output)";
      }
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  static Path findBinaries() {
    return findBinaries(candidateFolders());
  }

  /** The first of {@code candidates} holding both {@code initdb} and {@code pg_ctl}. */
  static Path findBinaries(List<Path> candidates) {
    return candidates.stream()
        .filter(
            d -> Files.isExecutable(d.resolve("initdb")) && Files.isExecutable(d.resolve("pg_ctl")))
        .findFirst()
        .orElseThrow(() ->
            new IllegalStateException(
                "PostgreSQL server binaries (initdb, pg_ctl) not found in "
                    + candidates
                    + ": "
                    + INSTALL_HINT));
  }

  private static List<Path> candidateFolders() {
    List<Path> candidates = new ArrayList<>();
    Optional.ofNullable(System.getProperty(BIN_PROPERTY)).map(Path::of).ifPresent(candidates::add);
    for (String dir : Optional.ofNullable(System.getenv("PATH")).orElse("").split(":")) {
      if (!dir.isEmpty()) {
        candidates.add(Path.of(dir));
      }
    }
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        versions
            .filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
            .sorted(
                Comparator.comparingDouble(
                        (Path v) -> Double.parseDouble(v.getFileName().toString()))
                    .reversed())
            .map(v -> v.resolve("bin"))
            .forEach(candidates::add);
      } catch (IOException ignored) {
        // nothing usable there
      }
    }
    return candidates;
  }

  private static boolean runningAsRoot() {
    return "root"
        .equals(ProcessHandle.current().info().user().orElse(System.getProperty("user.name")));
  }

  private static String unprivilegedUser() {
    String user = System.getProperty(OS_USER_PROPERTY, DEFAULT_OS_USER);
    try {
      Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
    } catch (IOException e) {
      throw new IllegalStateException(
          "the tests run as root, and initdb refuses to; no user '"
              + user
              + "' to run PostgreSQL as: "
              + INSTALL_HINT
              + " (it creates the user 'postgres'), set -D"
              + OS_USER_PROPERTY
              + "=<user>, or run the tests as a non-root user",
          e);
    }
    return user;
  }

  /**
   * {@code java.io.tmpdir}, unless the server's Unix socket path would be too long there (about 100
   * bytes is the limit) or, when the server runs as another user, that user could not reach it:
   * then {@code /tmp}.
   */
  private static Path baseFolder(boolean otherUser) {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
    boolean shortEnough = tmp.toString().length() < 60;
    boolean reachable = true;
    if (otherUser) {
      for (Path p = tmp; p != null; p = p.getParent()) {
        try {
          if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
            reachable = false;
          }
        } catch (IOException e) {
          reachable = false;
        }
      }
    }
    return shortEnough && reachable ? tmp : Path.of("/tmp");
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(p -> {
            try {
              Files.deleteIfExists(p);
            } catch (IOException ignored) {
              // best effort: a leftover temp folder is not worth failing a test over
            }
          });
    } catch (IOException ignored) {
      // as above
    }
  }
}
