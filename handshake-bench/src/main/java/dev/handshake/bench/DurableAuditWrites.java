package dev.handshake.bench;

import dev.handshake.audit.AuditRecorder;
import dev.handshake.identity.KeyProtection;
import dev.handshake.json.Json;
import dev.handshake.server.ServerAudit;
import dev.handshake.server.SharedState;
import dev.handshake.store.postgres.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * The durable audit write path, SQLite vs PostgreSQL (issue 7): server audit events recorded per
 * second through {@link ServerAudit}'s recorder exactly as the server records a delegation
 * decision — stamp onto the server chain (durable in the audit store), then append to the node's
 * transparency log (durable again). Nothing is batched: each event is acknowledged on its own.
 *
 * <ul>
 *   <li>{@code sqlite x1}: one node, {@code audit.db} + {@code transparency-log.db} (WAL,
 *       synchronous=FULL: two fsyncs per event);
 *   <li>{@code sqlite x2}: two nodes (two data folders), one writer thread each, aggregate rate;
 *   <li>{@code postgres x1}: one node with {@code --db} (its own pool): chain and log in
 *       PostgreSQL, two commits per event ({@code synchronous_commit=on}, {@code fsync=on});
 *   <li>{@code postgres x2}: two nodes on one database (two pools, two logs), aggregate rate.
 * </ul>
 *
 * Scenarios run in turn for one block each per round (so drift of a shared machine hits all of
 * them alike); the first round is warm-up; medians and ranges over the measured rounds are printed,
 * and the per-round ratio of PostgreSQL to SQLite (as {@link PairedRatio} does for CPU-bound
 * pairs: both blocks of a round see about the same disk).
 * Without a URL a throw-away PostgreSQL is started ({@code EmbeddedPostgres}: {@code initdb} in a
 * temporary folder, {@code fsync=on}) and removed afterwards; the SQLite folders are temporary too.
 *
 * <p>Run: {@code java -cp handshake-bench/target/benchmarks.jar
 * dev.handshake.bench.DurableAuditWrites [rounds=5] [blockMillis=3000] [postgresql://… URL]}.
 */
public final class DurableAuditWrites {
  private DurableAuditWrites() {}

  /** One scenario: its nodes' audits and the rates measured per round. */
  private record Scenario(String name, List<ServerAudit> nodes, List<Double> rates) {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    long blockMillis = args.length > 1 ? Long.parseLong(args[1]) : 3000;
    @Nullable EmbeddedPostgres embedded = null;
    String url;
    if (args.length > 2) {
      url = args[2];
    } else {
      embedded = EmbeddedPostgres.create();
      url = embedded.url();
    }
    Path root = Files.createTempDirectory("handshake-audit-bench-");
    List<AutoCloseable> opened = new ArrayList<>();
    try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
      Map<String, Scenario> scenarios = new LinkedHashMap<>();
      scenarios.put("sqlite x1", scenario("sqlite x1", root, 1, Optional.empty(), opened));
      scenarios.put("sqlite x2", scenario("sqlite x2", root, 2, Optional.empty(), opened));
      scenarios.put("postgres x1", scenario("postgres x1", root, 1, Optional.of(url), opened));
      scenarios.put("postgres x2", scenario("postgres x2", root, 2, Optional.of(url), opened));
      for (int round = 0; round <= rounds; round++) {
        for (Scenario s : scenarios.values()) {
          double rate = run(s.nodes(), blockMillis, threads);
          if (round > 0) { // round 0 warms up the JIT, the pools and the files
            s.rates().add(rate);
          }
        }
      }
      System.out.printf(
          "durable audit writes: %d rounds of %d ms per scenario, events/s (all nodes together)%n",
          rounds, blockMillis);
      for (Scenario s : scenarios.values()) {
        double[] r = s.rates().stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(
            "%-12s median %,8.0f  min %,8.0f  max %,8.0f  per round %s%n",
            s.name(), r[r.length / 2], r[0], r[r.length - 1], rounded(s.rates()));
      }
      for (String nodes : List.of("x1", "x2")) {
        System.out.println(
            ratios(
                "postgres/sqlite " + nodes,
                scenarios.get("postgres " + nodes),
                scenarios.get("sqlite " + nodes)));
      }
    } finally {
      for (int i = opened.size() - 1; i >= 0; i--) {
        opened.get(i).close();
      }
      if (embedded != null) {
        embedded.close();
      }
      deleteRecursively(root);
    }
  }

  private static Scenario scenario(
      String name, Path root, int nodes, Optional<String> url, List<AutoCloseable> opened)
      throws Exception {
    List<ServerAudit> audits = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      Path data = Files.createDirectories(root.resolve(name.replace(' ', '-') + "-node" + i));
      SharedState shared =
          url.isPresent() ? SharedState.open(Optional.empty(), url) : SharedState.embedded();
      opened.add(shared);
      ServerAudit audit =
          ServerAudit.open(
              data,
              Optional.of("benchmark passphrase"),
              ServerAudit.DEFAULT_ORIGIN,
              ServerAudit.DEFAULT_KINDS,
              KeyProtection.defaults().withScryptN(KeyProtection.MIN_N),
              Clock.systemUTC(),
              shared);
      opened.add(audit);
      audits.add(audit);
    }
    return new Scenario(name, audits, new ArrayList<>());
  }

  /** Every node records on its own thread for {@code blockMillis}; the events/s of all nodes. */
  private static double run(List<ServerAudit> nodes, long blockMillis, ExecutorService threads)
      throws Exception {
    long start = System.nanoTime();
    long deadline = start + blockMillis * 1_000_000;
    List<Future<Long>> counts = new ArrayList<>();
    for (ServerAudit node : nodes) {
      counts.add(threads.submit(() -> recordUntil(node, deadline)));
    }
    long events = 0;
    for (Future<Long> f : counts) {
      events += f.get();
    }
    return events * 1e9 / (System.nanoTime() - start);
  }

  private static long recordUntil(ServerAudit node, long deadline) {
    AuditRecorder recorder = node.recorder();
    long n = 0;
    while (System.nanoTime() < deadline) {
      recorder.record(AuditRecorder.Kind.DELEGATION, "handoff_accepted", receipt(n));
      n++;
    }
    return n;
  }

  /** A delegation receipt's payload (what {@code /delegation/verify} records per decision). */
  private static ObjectNode receipt(long n) {
    ObjectNode p = Json.object();
    p.put("packet_id", "bench-" + n);
    p.put("from_agent", "agent:s9ofOtK/95K54fMu");
    p.put("to_agent", "agent:Q2h1bmsgb2YgYWdl");
    p.put("nonce", "nonce-" + n);
    p.put("signing_payload_sha256", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    p.put("decision", "ACCEPT");
    p.put("reason", "accepted");
    p.put("input_sha256", "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752");
    p.put("profile", "default");
    p.put("decided_by", "server");
    return p;
  }

  /**
   * The per-round ratios of two scenarios (each round's blocks ran back to back, so a ratio sees
   * one state of the shared disk): median, p10 and p90.
   */
  private static String ratios(String name, @Nullable Scenario subject, @Nullable Scenario base) {
    if (subject == null || base == null) {
      throw new IllegalStateException("no such scenario");
    }
    double[] r = new double[subject.rates().size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = subject.rates().get(i) / base.rates().get(i);
    }
    Arrays.sort(r);
    return String.format(
        "%-20s per-round ratio median %.2f (p10 %.2f, p90 %.2f, %d rounds)",
        name,
        r[r.length / 2],
        r[(int) Math.round(0.1 * (r.length - 1))],
        r[(int) Math.round(0.9 * (r.length - 1))],
        r.length);
  }

  private static String rounded(List<Double> rates) {
    return Arrays.toString(rates.stream().mapToLong(Math::round).toArray());
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
