package dev.handshake.audit.log;

/**
 * Text that should be a signed note, checkpoint, verifier key or proof bundle is not one. The
 * message names the first rule it breaks; it never echoes large input back.
 */
public final class LogFormatException extends Exception {
  public LogFormatException(String message) {
    super(message);
  }
}
