package dev.handshake.server.cli;

import dev.handshake.server.SharedState;
import java.io.IOException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --redis URL} and {@code --db URL} for the CLI verbs that work on pairing state ({@code
 * pair}, {@code devices}): give them the values {@code serve} was given and the verb opens the
 * store the nodes keep pairing in. Which one that is stays {@link SharedState}'s choice, exactly as
 * for {@code serve}: PostgreSQL when {@code --db} is given (with or without {@code --redis}), else
 * Redis, else the SQLite files in {@code --data}.
 */
final class SharedStateOptions {
  @Option(names = "--redis", paramLabel = "URL", defaultValue = "${env:HANDSHAKE_REDIS}",
      description = "The Redis the nodes share (serve --redis; env HANDSHAKE_REDIS): pairing is there when they have no --db, and approval attempts are counted there. Default: SQLite in --data.")
  @Nullable String redisUrl;

  @Option(names = "--db", paramLabel = "URL", defaultValue = "${env:HANDSHAKE_DB}",
      description = "The PostgreSQL database the nodes keep pairing in (serve --db; env HANDSHAKE_DB; wins over --redis). Default: SQLite in --data.")
  @Nullable String dbUrl;

  /** The shared state {@code serve} opens for these URLs, or embedded when neither is given. */
  SharedState open() throws IOException {
    return open(redisUrl, dbUrl);
  }

  /** As {@code serve}: the given (non-blank) URLs, or embedded when there are none. */
  static SharedState open(@Nullable String redisUrl, @Nullable String dbUrl) throws IOException {
    Optional<String> redis = Optional.ofNullable(redisUrl).filter(u -> !u.isBlank());
    Optional<String> db = Optional.ofNullable(dbUrl).filter(u -> !u.isBlank());
    return redis.isEmpty() && db.isEmpty() ? SharedState.embedded() : SharedState.open(redis, db);
  }
}
