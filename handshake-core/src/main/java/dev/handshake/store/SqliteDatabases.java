package dev.handshake.store;

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
}
