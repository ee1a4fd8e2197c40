package dev.handshake.server.cli;

import dev.handshake.server.SharedState;
import java.io.IOException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --db URL} for the CLI verbs that work on pairing state: the PostgreSQL database {@code
 * serve --db} keeps it in, or, without it, the SQLite files in {@code --data}.
 */
final class DbOption {
  @Option(names = "--db", paramLabel = "URL", defaultValue = "${env:HANDSHAKE_DB}",
      description = "The PostgreSQL database the nodes keep pairing in (serve --db; env HANDSHAKE_DB). Default: SQLite in --data.")
  @Nullable String url;

  /** The shared state {@code serve --db} uses, or embedded (SQLite in {@code --data}). */
  SharedState open() throws IOException {
    return url == null || url.isBlank() ? SharedState.embedded()
        : SharedState.open(Optional.empty(), Optional.of(url));
  }
}
