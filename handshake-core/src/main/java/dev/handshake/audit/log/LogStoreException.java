package dev.handshake.audit.log;

/**
 * A {@link LogStore} could not read or write its storage (disk full, I/O error, database locked by
 * another process, corrupt file). The append that threw is not acknowledged: it may or may not be
 * on disk, and the store's size after reopening says which.
 */
public final class LogStoreException extends RuntimeException {
  public LogStoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public LogStoreException(String message) {
    super(message);
  }
}
