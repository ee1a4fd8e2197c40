package dev.handshake.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The pool, the migrations and the bounded failures of {@link PostgresDatabase}. */
class PostgresDatabaseTest {
  @RegisterExtension static final PostgresServer SERVER = new PostgresServer();

  /**
   * A liveness bound, not a timing assertion: far above every configured timeout, it only catches a
   * call that hangs.
   */
  private static final Duration NEVER_HANGS = Duration.ofSeconds(60);

  @Test
  void opensWithEveryMigrationAppliedOnceAndReopeningAppliesNothing() {
    List<String> before = appliedVersions(SERVER.db());
    assertThat(before).as("V1__audit_log.sql onwards, in order").startsWith("1", "2", "3");
    try (PostgresDatabase again = PostgresDatabase.open(SERVER.config())) {
      assertThat(appliedVersions(again)).isEqualTo(before);
    }
  }

  @Test
  void twoNodesStartingOnAnEmptyDatabaseAtOnceMigrateItOnce() throws Exception {
    PostgresConfig freshDb = otherDatabase("fresh_nodes");
    CountDownLatch go = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      List<Future<PostgresDatabase>> nodes =
          List.of(
              pool.submit(() -> {
                go.await();
                return PostgresDatabase.open(freshDb);
              }),
              pool.submit(() -> {
                go.await();
                return PostgresDatabase.open(freshDb);
              }));
      go.countDown();
      try (PostgresDatabase a = nodes.get(0).get();
          PostgresDatabase b = nodes.get(1).get()) {
        assertThat(appliedVersions(a)).isEqualTo(appliedVersions(SERVER.db()));
        assertThat(PostgresAuditStore.open(b).agents()).isEmpty();
      }
    }
  }

  /** A new, empty database on the class's server, and a configuration (pool of 2) for it. */
  private static PostgresConfig otherDatabase(String name) {
    SERVER
        .db()
        .withConnection(
            "test",
            c -> {
              try (Statement s = c.createStatement()) {
                s.executeUpdate("CREATE DATABASE " + name);
              }
              return null;
            });
    PostgresConfig base = SERVER.config();
    return new PostgresConfig(
        base.host(),
        base.port(),
        name,
        base.user(),
        base.password(),
        base.driverProperties(),
        2,
        base.connectionTimeout(),
        base.socketTimeout(),
        base.lockTimeout());
  }

  /** The versions in the migration history, in the order they were applied (each once). */
  private static List<String> appliedVersions(PostgresDatabase db) {
    return db.withConnection(
        "test",
        c -> {
          List<String> out = new java.util.ArrayList<>();
          try (Statement s = c.createStatement();
              ResultSet rs =
                  s.executeQuery(
                      "SELECT version FROM "
                          + PostgresDatabase.HISTORY_TABLE
                          + " WHERE success AND version IS NOT NULL ORDER BY installed_rank")) {
            while (rs.next()) {
              out.add(rs.getString(1));
            }
          }
          return out;
        });
  }

  @Test
  void aSchemaWrittenByANewerBuildIsRefused() {
    PostgresConfig future = otherDatabase("future_schema");
    PostgresDatabase.open(future).close();
    try (PostgresDatabase db = PostgresDatabase.open(future)) {
      db.withConnection(
          "test",
          c -> {
            try (Statement s = c.createStatement()) {
              s.executeUpdate(
                  "INSERT INTO "
                      + PostgresDatabase.HISTORY_TABLE
                      + " (installed_rank, version, description, type, script, checksum, installed_by,"
                      + " execution_time, success) VALUES (99, '99', 'from the future', 'SQL',"
                      + " 'V99__future.sql', 0, 'test', 0, true)");
            }
            return null;
          });
    }
    assertThatThrownBy(() -> PostgresDatabase.open(future))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("99");
  }

  @Test
  void aCallAgainstAStoppedServerFailsFastWithAClearExceptionAndRecoversAfterARestart() {
    PostgresDatabase db = SERVER.db();
    PostgresAuditStore store = PostgresAuditStore.open(db);
    assertThat(store.agents()).isNotNull();
    SERVER.pg().stop();
    try {
      for (int call = 0; call < 3; call++) { // stale pooled connections, then no server at all
        assertTimeoutPreemptively(
            NEVER_HANGS,
            () ->
                assertThatThrownBy(store::agents)
                    .isInstanceOf(DatabaseUnavailableException.class)
                    .hasMessageContaining("audit store")
                    .hasMessageContaining("PostgreSQL at 127.0.0.1:" + SERVER.pg().port())
                    .hasMessageContaining("unavailable"));
      }
    } finally {
      SERVER.pg().start();
    }
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> store.agents() != null);
  }

  @Test
  void openingWhenNothingListensFailsFastWithAClearException() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    PostgresConfig base = SERVER.config();
    PostgresConfig nowhere =
        new PostgresConfig(
            "127.0.0.1",
            closedPort,
            base.database(),
            base.user(),
            base.password(),
            base.driverProperties(),
            2,
            Duration.ofSeconds(1),
            base.socketTimeout(),
            base.lockTimeout());
    assertTimeoutPreemptively(
        NEVER_HANGS,
        () ->
            assertThatThrownBy(() -> PostgresDatabase.open(nowhere))
                .isInstanceOf(DatabaseUnavailableException.class)
                .hasMessageContaining("127.0.0.1:" + closedPort)
                .hasMessageNotContaining(SERVER.pg().password()));
  }

  @Test
  void aWrongPasswordIsReportedWithoutRepeatingIt() {
    PostgresConfig base = SERVER.config();
    PostgresConfig wrong =
        new PostgresConfig(
            base.host(),
            base.port(),
            base.database(),
            base.user(),
            DatabasePassword.of("not-the-password"),
            base.driverProperties(),
            2,
            base.connectionTimeout(),
            base.socketTimeout(),
            base.lockTimeout());
    assertThatThrownBy(() -> PostgresDatabase.open(wrong))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("password authentication failed")
        .hasMessageNotContaining("not-the-password");
  }

  @Test
  void callsBeyondThePoolSizeWaitAtMostTheConnectionTimeoutThenFail() throws Exception {
    try (PostgresDatabase small =
            PostgresDatabase.open(
                SERVER.config().withPoolSize(2).withConnectionTimeout(Duration.ofMillis(500)));
        ExecutorService pool = Executors.newFixedThreadPool(2)) {
      CountDownLatch holding = new CountDownLatch(2);
      CountDownLatch release = new CountDownLatch(1);
      List<Future<Integer>> holders =
          List.of(
              pool.submit(() -> hold(small, holding, release)),
              pool.submit(() -> hold(small, holding, release)));
      holding.await();
      try {
        assertTimeoutPreemptively(
            NEVER_HANGS,
            () ->
                assertThatThrownBy(() -> small.withConnection("third call", c -> 3))
                    .isInstanceOf(DatabaseUnavailableException.class)
                    .hasMessageContaining("all 2 connections")
                    .hasMessageContaining("500 ms"));
      } finally {
        release.countDown();
      }
      for (Future<Integer> f : holders) {
        assertThat(f.get()).isEqualTo(1);
      }
      int after = small.withConnection("after", c -> 4);
      assertThat(after).isEqualTo(4);
    }
  }

  /** Takes a connection and keeps it until {@code release}. */
  private static int hold(PostgresDatabase db, CountDownLatch holding, CountDownLatch release) {
    return db.withConnection(
        "hold",
        c -> {
          holding.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return 1;
        });
  }
}
