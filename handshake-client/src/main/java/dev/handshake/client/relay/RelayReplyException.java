package dev.handshake.client.relay;

/**
 * The relay answered, but not with what was asked for: an {@code error:*} reply (for example
 * {@code error:unknown_discovery} or {@code error:offline}, keep.md §2.5) or a discovery reply that
 * is not JSON. {@link #reply()} is the body the server sent.
 */
public final class RelayReplyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String reply;

  RelayReplyException(String message, String reply) {
    super(message + ": " + reply);
    this.reply = reply;
  }

  /** The body of the server's reply, e.g. {@code error:unknown_discovery}. */
  public String reply() {
    return reply;
  }

  /** Whether the reply is one of the server's {@code error:*} bodies. */
  public boolean isServerError() {
    return reply.startsWith("error:");
  }
}
