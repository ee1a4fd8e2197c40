package dev.handshake.audit.tsa;

import java.util.List;

/**
 * The sidecar of RFC 3161 tokens, keyed by event hash (aiss.md §3 item 9): tokens live beside
 * the chain, never inside a signed event, so anchoring changes no event's bytes, hash or signature
 * (aiss.md §4 item 26). An event may have several tokens (from several TSAs, or re-anchored).
 *
 * <p>A store keeps what it is given and is not trusted on read: verify each record with {@link
 * TimestampVerifier#verifyStored} before relying on it (that needs nothing but the record and the
 * trust roots, so it works offline).
 */
public interface TimestampStore extends AutoCloseable {

  /**
   * Stores {@code timestamp} under its event hash; durable on return for the durable stores.
   *
   * @return false when this exact token is already stored for that event (nothing changes)
   */
  boolean add(TrustedTimestamp timestamp);

  /** Every record stored for {@code eventHash}, in the order added; empty when none. */
  List<TrustedTimestamp> forEvent(String eventHash);

  @Override
  void close();
}
