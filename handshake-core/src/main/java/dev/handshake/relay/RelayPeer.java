package dev.handshake.relay;

/**
 * The transport's side of one relay connection, as the engine sees it. Implementations never
 * block: {@link #send} only enqueues on the connection's single writer.
 */
public interface RelayPeer {
  /**
   * Queues one packet (the transport adds the length prefix and writes header and payload as one
   * buffer). Returns false when the connection is closed or its outbound queue is full; in the
   * latter case the transport closes the connection itself.
   */
  boolean send(byte[] packetBytes);

  /** Closes the connection (asynchronously); the transport then calls {@link RelayConnection#closed()}. */
  void close();

  /** The source address without port, for per-address limits. */
  String remoteHost();

  /** {@code host:port}, for log lines. */
  String remoteAddress();
}
