package dev.handshake.audit.tsa;

import dev.handshake.store.postgres.PostgresServer;
import dev.handshake.store.postgres.PostgresTimestampStore;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The timestamp sidecar contract on PostgreSQL, with real tokens from a local TSA. */
class PostgresTimestampStoreTest extends TimestampStoreContract {
  @RegisterExtension static final PostgresServer SERVER = new PostgresServer();

  @Override
  protected TimestampStore open() {
    SERVER.truncate("audit_timestamp");
    return PostgresTimestampStore.open(SERVER.db());
  }

  /** A handle through another pool, as another node would read it. */
  @Override
  protected TimestampStore reopen() {
    store.close();
    return PostgresTimestampStore.open(SERVER.secondNode());
  }
}
