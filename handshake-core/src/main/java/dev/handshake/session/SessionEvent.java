package dev.handshake.session;

/**
 * A message for a session's live sockets, serialised once when published (hpp.md §2.5). {@link
 * Kind#EXPIRED} additionally tells each socket to close.
 */
public record SessionEvent(Kind kind, String json) {
  /** The event types the server pushes. */
  public enum Kind {
    ACTION,
    DONE,
    EXTENDED,
    EXPIRED
  }
}
