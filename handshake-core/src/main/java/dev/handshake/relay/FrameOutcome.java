package dev.handshake.relay;

/** What the relay did with one inbound frame (for tests, metrics and the transport). */
public enum FrameOutcome {
  /** Answered by the server ({@code done}, discovery, or an error reply). */
  ANSWERED,
  /** Queued for the destination connection; the sender gets nothing. */
  FORWARDED,
  DROPPED_UNSIGNED,
  DROPPED_INVALID_SIGNATURE,
  /** Over the connection's or the address's frame rate: dropped silently. */
  DROPPED_RATE_LIMITED,
  /** A forward already seen within the replay window: not delivered again. */
  DROPPED_REPLAY,
  /** Arrived after the connection closed: ignored. */
  DROPPED_CLOSED,
  /** Framing or protobuf error: the transport must close the connection. */
  CLOSE;
}
