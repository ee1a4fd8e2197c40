package dev.handshake.audit;

/** An A2A handshake message was refused; the message says which check failed. */
public final class HandshakeException extends Exception {
  public HandshakeException(String message) {
    super(message);
  }
}
