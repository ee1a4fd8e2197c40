package dev.handshake.pairing;

import java.time.Duration;

/** What asking for access gave (pairing.md §3.2 rules 3 and 4). */
public sealed interface RequestOutcome {
  /** A new request; {@code code} is shown to the requester now and never again. */
  record Created(PairingRequest request, PairingCode code) implements RequestOutcome {}

  /** The sender already has a live request: its last-seen time moved, nothing is re-sent. */
  record Refreshed(PairingRequest request) implements RequestOutcome {}

  /** The sender is already paired. */
  record AlreadyPaired(Grant grant) implements RequestOutcome {}

  /** No code was issued, and why. */
  record Refused(Reason reason, Duration retryAfter) implements RequestOutcome {}

  /** Why no code was issued. */
  enum Reason {
    /** The channel account has its maximum of live requests. */
    ACCOUNT_FULL,
    /** The store has its maximum of live requests. */
    STORE_FULL,
    /** This sender or source opened too many requests lately. */
    THROTTLED
  }
}
