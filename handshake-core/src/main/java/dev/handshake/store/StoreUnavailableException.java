package dev.handshake.store;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A shared store (Redis, a database server) could not be reached or did not answer within its
 * configured timeout. The request may succeed later unchanged, so HTTP adapters answer 503.
 *
 * <p>It is an {@link UncheckedIOException} so that callers which already fail closed on I/O errors
 * of the embedded stores (the delegation receiver rejects with {@code replay_store_unavailable})
 * treat an unreachable shared store the same way. Messages name the store's address but never a
 * password.
 */
public class StoreUnavailableException extends UncheckedIOException {
  private static final long serialVersionUID = 1L;

  /** A store failure caused by {@code cause} (the client library's exception). */
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause instanceof IOException io ? io : new IOException(cause.toString(), cause));
  }

  /** A store failure found without an underlying exception (a lost lock, a busy session). */
  public StoreUnavailableException(String message) {
    super(message, new IOException(message));
  }
}
