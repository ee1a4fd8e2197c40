package dev.handshake.store.postgres;

import java.io.IOException;
import dev.handshake.store.StoreUnavailableException;

/**
 * The database could not be reached in time: the server is stopped, restarting or unreachable, or
 * every pooled connection stayed busy for the whole connection timeout. A caller answers "try again
 * later" (HTTP 503) rather than treat it as a bug; the next call tries again, so the node recovers
 * by itself once the database is back.
 */
public final class DatabaseUnavailableException extends StoreUnavailableException {
  private static final long serialVersionUID = 1L;

  public DatabaseUnavailableException(String message, Throwable cause) {
    super(message, new IOException(message, cause));
  }
}
