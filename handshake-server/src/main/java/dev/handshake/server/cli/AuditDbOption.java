package dev.handshake.server.cli;

import dev.handshake.server.SharedState;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --db URL} for the {@code audit} verbs that read or write a chain store: the PostgreSQL
 * database {@code serve --db} keeps every node's chain (and the RFC 3161 tokens) in, instead of
 * the SQLite files in {@code --data}. The key files stay in {@code --data} either way.
 */
final class AuditDbOption {
  @Option(names = "--db", paramLabel = "URL", defaultValue = "${env:HANDSHAKE_DB}",
      description = "The PostgreSQL database the nodes keep audit chains in (serve --db; env HANDSHAKE_DB). Default: SQLite in --data.")
  @Nullable String url;

  /** The shared state {@code serve --db} uses, or embedded (SQLite in {@code --data}). */
  SharedState open() throws IOException {
    return SharedStateOptions.open(null, url);
  }
}
