package dev.handshake.pairing;

import java.time.Instant;

/**
 * One state change, written in the same transaction as the change itself, so every change has
 * exactly one event and none is lost when a process dies (pairing.md §4 item 10). Events are read
 * back in {@code seq} order by whoever forwards them (the server's audit recorder, notifiers).
 *
 * @param seq increasing position in the store's event log
 * @param actor who caused it: the approver, the requester ({@code channel:account:sender}), or
 *     {@value #SYSTEM} for expiry by time
 */
public record PairingEvent(
    long seq, Type type, String requestId, Requester requester, String actor, Instant at) {
  /** The actor of changes nobody made: expiry by time. */
  public static final String SYSTEM = "system";

  /** The kinds of change (pairing.md §3.2 rule 6). */
  public enum Type {
    REQUESTED("pairing.requested"),
    APPROVED("pairing.approved"),
    DENIED("pairing.denied"),
    EXPIRED("pairing.expired"),
    REVOKED("pairing.revoked"),
    SUPERSEDED("pairing.superseded");

    private final String wireName;

    Type(String wireName) {
      this.wireName = wireName;
    }

    /** {@code pairing.requested} etc., the name audit records and hooks use. */
    public String wireName() {
      return wireName;
    }
  }
}
