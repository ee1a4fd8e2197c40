package dev.handshake.store.sqlite;

import dev.handshake.store.PrivateDatabaseFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Opens the embedded SQLite databases of the durable stores (audit events, transparency log,
 * trusted timestamps, delegation replay memory) the one way all of them must be opened.
 *
 * <p>Every store keeps one file in a data folder, and each used to repeat the same steps, where a
 * step forgotten in one of them is a silent hole: the folder is created; the file is made
 * owner-only ({@code 0600}) by {@link PrivateDatabaseFile} <em>before</em> SQLite can create it
 * with the umask; {@code org.sqlite.tmpdir} is pointed at the data folder when unset, so
 * sqlite-jdbc extracts its native library there and the process never needs a writable,
 * executable {@code /tmp} (the property is process-wide and read once, so the first store opened
 * decides); the connection is made and the store's own setup runs on it, the connection being
 * closed again if that setup fails; and every failure becomes an {@link IOException} that names
 * the store and the file, with an unreadable file reported as "not a SQLite database" rather than
 * SQLite's bare result code.
 *
 * <p>What differs between stores stays in each store: its {@link SQLiteConfig} (synchronous level,
 * {@code fullfsync}, locking and transaction modes, starting from {@link #walConfig}), its tables,
 * and how it reports a failed open to its callers.
 */
public final class SqliteDatabases {
  /** The system property from which sqlite-jdbc reads where to extract its native library. */
  public static final String TMPDIR_PROPERTY = "org.sqlite.tmpdir";

  private SqliteDatabases() {}

  /**
   * A store's work on a fresh connection before the store exists: tables, schema check, prepared
   * statements.
   */
  @FunctionalInterface
  public interface Setup<T> {
    T apply(Connection connection) throws SQLException;
  }

  /**
   * A configuration in WAL journal mode with the given {@code synchronous} level and busy timeout;
   * the caller adds its store's own pragmas and modes.
   */
  public static SQLiteConfig walConfig(SQLiteConfig.SynchronousMode synchronous, int busyTimeoutMs) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(synchronous);
    config.setBusyTimeout(busyTimeoutMs);
    return config;
  }

  /**
   * Opens (creating if needed) {@code directory}/{@code fileName} with {@code config} and runs
   * {@code setup} on the connection: the folder is created, the file made owner-only, {@value
   * #TMPDIR_PROPERTY} set to the folder if unset. If {@code setup} throws, the connection is
   * closed and the failure reported; a {@link RuntimeException} from it passes through unchanged.
   *
   * @param what the store, for messages ("delegation replay store")
   * @throws IOException "cannot create <i>what</i> <i>file</i>: …" if the folder or the file
   *     cannot be created or made private; "cannot open <i>what</i> <i>file</i>: …" if SQLite
   *     cannot open it, it is not a SQLite database, or {@code setup} fails with an {@link
   *     SQLException}
   */
  public static <T> T open(
      Path directory, String fileName, SQLiteConfig config, String what, Setup<T> setup)
      throws IOException {
    Path file = directory.resolve(fileName);
    try {
      Files.createDirectories(directory);
      PrivateDatabaseFile.prepare(file);
    } catch (IOException e) {
      throw new IOException("cannot create " + what + " " + file + ": " + e, e);
    }
    if (System.getProperty(TMPDIR_PROPERTY) == null) {
      System.setProperty(TMPDIR_PROPERTY, directory.toAbsolutePath().toString());
    }
    Connection connection = null;
    try {
      connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
      return setup.apply(connection);
    } catch (SQLException e) {
      closeQuietly(connection);
      throw new IOException("cannot open " + what + " " + file + ": " + describe(e), e);
    } catch (RuntimeException e) {
      closeQuietly(connection);
      throw e;
    }
  }

  /**
   * Checks the database's {@code PRAGMA user_version} against the version this build writes: a new
   * database (version 0) is stamped with {@code expected}, any other version is refused.
   *
   * @param what the database, for the message ("audit database")
   * @throws SQLException "unknown <i>what</i> schema version <i>n</i>; …" on another version
   */
  public static void requireSchemaVersion(Statement statement, int expected, String what)
      throws SQLException {
    int version;
    try (ResultSet rs = statement.executeQuery("PRAGMA user_version")) {
      version = rs.next() ? rs.getInt(1) : 0;
    }
    if (version == 0) {
      statement.executeUpdate("PRAGMA user_version = " + expected);
    } else if (version != expected) {
      throw new SQLException(
          "unknown " + what + " schema version " + version + "; this build reads version " + expected);
    }
  }

  /**
   * Checks that {@code PRAGMA name} reads {@code expected} (case-insensitively), so a setting the
   * store depends on is known to have taken effect.
   */
  public static void requirePragma(Statement statement, String name, String expected)
      throws SQLException {
    try (ResultSet rs = statement.executeQuery("PRAGMA " + name)) {
      String actual = rs.next() ? rs.getString(1) : "";
      if (!expected.equalsIgnoreCase(actual)) {
        throw new SQLException("PRAGMA " + name + " is " + actual + ", need " + expected);
      }
    }
  }

  /** Closes {@code connection} if there is one, ignoring a failure (an earlier one is reported). */
  public static void closeQuietly(@Nullable Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // the failure that made the caller give up is the one worth reporting
      }
    }
  }

  private static String describe(SQLException e) {
    return e instanceof SQLiteException se && se.getResultCode() == SQLiteErrorCode.SQLITE_NOTADB
        ? "not a SQLite database"
        : String.valueOf(e.getMessage());
  }

  /** A unit of work on a connection, inside {@link #inTransaction}. */
  @FunctionalInterface
  public interface Work<T> {
    T run() throws SQLException;
  }

  /**
   * Runs {@code work} as one transaction on {@code connection}, which must have been opened with
   * {@link SQLiteConfig.TransactionMode#IMMEDIATE} so that the transaction takes the database's
   * write lock before it reads: two processes then serialise, and the second sees the first's
   * result. Auto-commit is switched off only for the length of the work, because sqlite-jdbc
   * begins the next transaction as soon as one commits, which in IMMEDIATE mode would hold the
   * lock between calls and shut every other process out. Callers serialise their own use of the
   * connection. Any failure rolls back.
   *
   * @param what the store, for the message of the {@link java.io.UncheckedIOException} that a
   *     {@link SQLException} becomes
   */
  public static <T> T inTransaction(Connection connection, String what, Work<T> work) {
    try {
      connection.setAutoCommit(false);
      try {
        T result = work.run();
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          connection.rollback();
        } catch (SQLException ignored) {
          // the connection is unusable; setAutoCommit or the next call reports it
        }
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  /** A {@link SQLException} of {@code what} as an {@link java.io.UncheckedIOException}. */
  public static java.io.UncheckedIOException failure(String what, SQLException e) {
    return new java.io.UncheckedIOException(new IOException(what + ": " + e.getMessage(), e));
  }

  /** {@code sql} prepared on {@code connection} with {@code args} bound in order (null as NULL). */
  public static java.sql.PreparedStatement prepare(
      Connection connection, String sql, @Nullable Object... args) throws SQLException {
    java.sql.PreparedStatement ps = connection.prepareStatement(sql);
    for (int i = 0; i < args.length; i++) {
      if (args[i] == null) {
        ps.setNull(i + 1, java.sql.Types.NULL);
      } else {
        ps.setObject(i + 1, args[i]);
      }
    }
    return ps;
  }
}
