package dev.handshake.store.postgres;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link EmbeddedPostgres} and one migrated {@link PostgresDatabase} per test class: register
 * with {@code @RegisterExtension static final PostgresServer SERVER = new PostgresServer();}. The
 * server is stopped and its folder deleted after the class, whether its tests passed or not.
 */
public final class PostgresServer implements BeforeAllCallback, AfterAllCallback {
  /** Short enough that a test of a stopped server is quick, long enough for a loaded CI box. */
  public static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);

  private EmbeddedPostgres pg;
  private PostgresDatabase db;
  private final List<PostgresDatabase> extra = new ArrayList<>();

  @Override
  public void beforeAll(ExtensionContext context) {
    pg = EmbeddedPostgres.create();
    db = open();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      extra.forEach(PostgresDatabase::close);
      if (db != null) {
        db.close();
      }
    } finally {
      if (pg != null) {
        pg.close();
      }
    }
  }

  public EmbeddedPostgres pg() {
    return pg;
  }

  /** The class's database (pool of 10). */
  public PostgresDatabase db() {
    return db;
  }

  /** The test configuration: the server's URL with a short connection timeout. */
  public PostgresConfig config() {
    return PostgresConfig.parse(pg.url()).withConnectionTimeout(CONNECTION_TIMEOUT);
  }

  /** Another pool on the same database, as a second node would have; closed after the class. */
  public PostgresDatabase secondNode() {
    PostgresDatabase other = open();
    extra.add(other);
    return other;
  }

  private PostgresDatabase open() {
    return PostgresDatabase.open(config());
  }

  /** Empties {@code tables} (and resets identities and the replay counter) between tests. */
  public void truncate(String... tables) {
    db.withConnection(
        "test: truncate",
        c -> {
          try (var s = c.createStatement()) {
            s.executeUpdate("TRUNCATE " + String.join(", ", tables) + " RESTART IDENTITY");
            s.executeUpdate("UPDATE delegation_replay_count SET n = 0");
          }
          return null;
        });
  }
}
