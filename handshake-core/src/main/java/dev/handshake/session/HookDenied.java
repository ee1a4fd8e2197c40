package dev.handshake.session;

/**
 * Thrown by a hook to deny a request with a message that is safe to show the client (hpp.md §3
 * item 11). Any other exception from a hook is logged and answered with a generic message.
 */
public final class HookDenied extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public HookDenied(String publicMessage) {
    super(publicMessage, null, false, false);
  }

  public String publicMessage() {
    return String.valueOf(getMessage());
  }
}
