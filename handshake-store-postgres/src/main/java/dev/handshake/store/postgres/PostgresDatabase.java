package dev.handshake.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jspecify.annotations.Nullable;

/**
 * One PostgreSQL database shared by the stores of a node: a bounded HikariCP pool and the schema,
 * migrated to this build's version when opened. Open it once per process and hand it to each
 * store's {@code open}; closing a store leaves the pool alone, closing the database closes the
 * pool.
 *
 * <p><b>Schema.</b> Flyway applies the versioned scripts under {@code
 * dev/handshake/store/postgres/migration} and records them in {@value #HISTORY_TABLE}; it holds a
 * PostgreSQL advisory lock while it does, so two nodes starting at once migrate once. A database
 * migrated by a newer build (an unknown version in the history) is refused.
 *
 * <p><b>Bounded waits.</b> At most {@link PostgresConfig#poolSize} calls hold a connection at once;
 * the rest wait up to {@link PostgresConfig#connectionTimeout} and then fail with {@link
 * DatabaseUnavailableException}, as does a call while the server is down. This is also the
 * concurrency cap for callers on virtual threads, which would otherwise pile up on the pool without
 * bound. Each connection carries the socket timeout, the lock timeout and an idle-in-transaction
 * timeout (so a node that dies mid-transaction releases its locks).
 */
public final class PostgresDatabase implements AutoCloseable {
  /** The table in which Flyway records the applied migrations. */
  public static final String HISTORY_TABLE = "handshake_schema_history";

  static final String MIGRATIONS = "classpath:dev/handshake/store/postgres/migration";

  private final PostgresConfig config;
  private final HikariDataSource pool;
  private final Semaphore permits;

  private PostgresDatabase(PostgresConfig config, HikariDataSource pool) {
    this.config = config;
    this.pool = pool;
    this.permits = new Semaphore(config.poolSize());
  }

  /** Parses {@code url} ({@link PostgresConfig#parse}) and opens it with default limits. */
  public static PostgresDatabase open(String url) {
    return open(PostgresConfig.parse(url));
  }

  /**
   * Connects (failing within about the connection timeout when the server cannot be reached) and
   * migrates the schema.
   *
   * @throws DatabaseUnavailableException when the server cannot be reached
   * @throws UncheckedIOException when the migration fails or the schema is newer than this build
   */
  public static PostgresDatabase open(PostgresConfig config) {
    migrate(config);
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("handshake-postgres");
    hikari.setJdbcUrl(config.jdbcUrl());
    hikari.setUsername(config.user());
    if (!config.password().isEmpty()) {
      hikari.setPassword(config.password().reveal());
    }
    driverProperties(config).forEach(hikari::addDataSourceProperty);
    hikari.setMaximumPoolSize(config.poolSize());
    hikari.setMinimumIdle(Math.min(2, config.poolSize()));
    long timeout = config.connectionTimeout().toMillis();
    hikari.setConnectionTimeout(timeout);
    hikari.setValidationTimeout(Math.max(250, timeout / 2));
    hikari.setInitializationFailTimeout(timeout);
    hikari.setAutoCommit(true);
    try {
      return new PostgresDatabase(config, new HikariDataSource(hikari));
    } catch (HikariPool.PoolInitializationException e) {
      throw unavailable(config, "cannot connect", e);
    }
  }

  private static void migrate(PostgresConfig config) {
    Map<String, String> props = driverProperties(config);
    try {
      Flyway.configure(PostgresDatabase.class.getClassLoader())
          .dataSource(config.jdbcUrl(), config.user(), config.password().reveal())
          .jdbcProperties(props)
          .locations(MIGRATIONS)
          .table(HISTORY_TABLE)
          .connectRetries(0)
          .validateOnMigrate(true)
          // Refuse a schema with migrations this build does not know (Flyway ignores "future"
          // ones by default): like the SQLite stores, a build reads only the versions it wrote.
          .ignoreMigrationPatterns(new String[0])
          .load()
          .migrate();
    } catch (FlywayException e) {
      SQLException sql = sqlCause(e);
      if (sql != null && isUnavailable(sql)) {
        throw unavailable(config, "cannot connect", sql);
      }
      throw new UncheckedIOException(
          new IOException(
              "migrating the PostgreSQL schema at "
                  + config.address()
                  + " failed: "
                  + e.getMessage(),
              e));
    }
  }

  private static Map<String, String> driverProperties(PostgresConfig config) {
    Map<String, String> props = new HashMap<>(config.driverProperties());
    long connectSeconds = Math.max(1, ceilSeconds(config.connectionTimeout().toMillis()));
    props.putIfAbsent("connectTimeout", Long.toString(connectSeconds));
    props.putIfAbsent("loginTimeout", Long.toString(connectSeconds));
    props.putIfAbsent(
        "socketTimeout", Long.toString(ceilSeconds(config.socketTimeout().toMillis())));
    props.putIfAbsent("tcpKeepAlive", "true");
    props.putIfAbsent("ApplicationName", "handshake");
    // Server-side limits of every session: waits for another node's locks end in an error, and a
    // transaction left open by a node that vanished is ended (its locks freed) by the server.
    long idleInTx = Math.max(60_000, 2 * config.socketTimeout().toMillis());
    props.putIfAbsent(
        "options",
        "-c lock_timeout="
            + config.lockTimeout().toMillis()
            + " -c idle_in_transaction_session_timeout="
            + idleInTx);
    return props;
  }

  private static long ceilSeconds(long millis) {
    return (millis + 999) / 1000;
  }

  public PostgresConfig config() {
    return config;
  }

  /** Work on a connection; a {@link SQLException} is reported as the store's failure. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * Runs {@code work} on a pooled connection in auto-commit mode (each statement its own
   * transaction).
   *
   * @param what the store and operation, for messages ("audit store: events")
   * @throws DatabaseUnavailableException when no connection could be had in time or it broke
   * @throws UncheckedIOException on any other database failure
   */
  public <T> T withConnection(String what, Work<T> work) {
    acquire(what);
    try (Connection c = pool.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw failure(what, e);
    } finally {
      permits.release();
    }
  }

  /**
   * Runs {@code work} as one READ COMMITTED transaction, committed when it returns and rolled back
   * when it throws. A serialisation failure or deadlock (which PostgreSQL resolves by aborting one
   * side) is retried up to {@value #ATTEMPTS} times in all, so {@code work} must have no effect
   * outside the transaction that a repeat would double.
   */
  public <T> T inTransaction(String what, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return withConnection(what, c -> transaction(c, work));
      } catch (UncheckedIOException e) {
        if (attempt >= ATTEMPTS
            || !(e.getCause().getCause() instanceof SQLException sql)
            || !isRetryable(sql)) {
          throw e;
        }
      }
    }
  }

  static final int ATTEMPTS = 3;

  private static <T> T transaction(Connection c, Work<T> work) throws SQLException {
    c.setAutoCommit(false);
    boolean committed = false;
    try {
      T result = work.run(c);
      c.commit();
      committed = true;
      return result;
    } finally {
      if (!committed) {
        try {
          c.rollback();
        } catch (SQLException ignored) {
          // a broken connection: the pool discards it; the first failure is reported
        }
      }
      try {
        c.setAutoCommit(true);
      } catch (SQLException ignored) {
        // as above
      }
    }
  }

  private void acquire(String what) {
    boolean got;
    try {
      got = permits.tryAcquire(config.connectionTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DatabaseUnavailableException(
          what + ": interrupted while waiting for a connection", e);
    }
    if (!got) {
      throw new DatabaseUnavailableException(
          what
              + ": all "
              + config.poolSize()
              + " connections to PostgreSQL at "
              + config.address()
              + " stayed busy for "
              + config.connectionTimeout().toMillis()
              + " ms",
          new SQLTransientConnectionException("pool exhausted"));
    }
  }

  /**
   * {@code e} as the exception a store throws: {@link DatabaseUnavailableException} when the server
   * could not be reached or the connection broke, else an {@link UncheckedIOException} naming
   * {@code what}.
   */
  public UncheckedIOException failure(String what, SQLException e) {
    if (isUnavailable(e)) {
      return unavailable(config, what, e);
    }
    return new UncheckedIOException(new IOException(what + ": " + e.getMessage(), e));
  }

  private static DatabaseUnavailableException unavailable(
      PostgresConfig config, String what, Throwable e) {
    StringBuilder message =
        new StringBuilder(what)
            .append(": PostgreSQL at ")
            .append(config.address())
            .append(" is unavailable: ")
            .append(e.getMessage());
    Throwable cause = e.getCause();
    if (cause != null
        && cause.getMessage() != null
        && !message.toString().contains(cause.getMessage())) {
      message.append(" (").append(cause.getMessage()).append(')');
    }
    return new DatabaseUnavailableException(message.toString(), e);
  }

  /** Whether {@code e} says "no server" rather than "bad statement". */
  static boolean isUnavailable(SQLException e) {
    if (e instanceof SQLTransientConnectionException) {
      return true; // Hikari: no connection within the timeout
    }
    String state = e.getSQLState();
    return state != null
        && (state.startsWith("08") // connection exception
            || state.equals("57P01") // admin_shutdown
            || state.equals("57P02") // crash_shutdown
            || state.equals("57P03") // cannot_connect_now (starting up, recovering)
            || state.equals("53300")); // too_many_connections
  }

  static boolean isRetryable(SQLException e) {
    return "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
  }

  /** Whether {@code e} is a unique-constraint violation. */
  public static boolean isUniqueViolation(SQLException e) {
    return "23505".equals(e.getSQLState());
  }

  private static @Nullable SQLException sqlCause(Throwable e) {
    for (@Nullable Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        return sql;
      }
    }
    return null;
  }

  /** Closes the pool: calls in flight finish or fail, later calls fail. */
  @Override
  public void close() {
    pool.close();
  }
}
