package dev.handshake.pairing.device;

import java.util.Optional;

/** What a device's ask for a role and scopes gave (pairing.md §2.4). */
public sealed interface AccessOutcome {

  /** Everything asked for is already approved; nothing was written. */
  record Covered(PairedDevice device) implements AccessOutcome {}

  /**
   * The ask waits for an operator in {@code request}. Nothing is granted until it is approved.
   *
   * @param replaced for {@link Kind#SUPERSEDED}, the request this one replaced
   */
  record Requested(DeviceRequest request, Kind kind, Optional<String> replaced)
      implements AccessOutcome {}

  /** No request was written, and why ({@code PENDING_FULL} or {@code TOO_MANY_SCOPES}). */
  record Refused(PairingRefusal reason) implements AccessOutcome {}

  /** How {@link Requested} came about. */
  enum Kind {
    /** A new request; the device had none live. */
    CREATED,
    /** The same ask again: the live request's id is kept and its expiry moved. */
    REFRESHED,
    /** Another key, role or scopes: a new request replaced the live one, which stays findable. */
    SUPERSEDED
  }
}
