package dev.handshake.pairing.device;

import java.time.Instant;
import java.util.Optional;

/**
 * One state change of device pairing, written in the same transaction as the change, so every
 * change has exactly one event and none is lost when a process dies (pairing.md §4 item 10).
 *
 * @param seq increasing position in the store's event log
 * @param subject the request id for request events, the bootstrap token id for bootstrap events,
 *     the device id for device and token events
 * @param deviceId the device concerned, when there is one
 * @param role the token's role, for token events
 * @param actor who caused it: the approver, {@code device:<id>} for the device itself, or
 *     {@value #SYSTEM} for expiry by time
 */
public record DeviceEvent(long seq, Type type, String subject, Optional<String> deviceId,
    Optional<String> role, String actor, Instant at) {
  /** The actor of changes nobody made: expiry by time. */
  public static final String SYSTEM = "system";

  /** The kinds of change. */
  public enum Type {
    REQUESTED("device.requested"),
    SUPERSEDED("device.superseded"),
    APPROVED("device.approved"),
    REJECTED("device.rejected"),
    EXPIRED("device.expired"),
    REMOVED("device.removed"),
    TOKEN_ISSUED("device.token.issued"),
    TOKEN_ROTATED("device.token.rotated"),
    TOKEN_REVOKED("device.token.revoked"),
    BOOTSTRAP_ISSUED("device.bootstrap.issued"),
    BOOTSTRAP_REDEEMED("device.bootstrap.redeemed");

    private final String wireName;

    Type(String wireName) {
      this.wireName = wireName;
    }

    /** {@code device.requested} etc., the name audit records and hooks use. */
    public String wireName() {
      return wireName;
    }
  }
}
