package dev.handshake.delegation;

/**
 * The decision reasons, spelled exactly as the reference (trusthandoff.md §2.5) and its 0.3.1
 * codes, plus ours for the checks the reference lacks (§3).
 */
public final class Reasons {
  public static final String ACCEPTED = "Packet verified and valid";
  public static final String EXECUTED = "Task executed";
  public static final String INVALID_SIGNATURE = "Invalid signature";
  /** 0.2.3's single time-window reason. */
  public static final String VALIDATION_FAILED = "Packet validation failed";
  public static final String MALFORMED_TIME_WINDOW = "malformed_time_window";
  public static final String ISSUED_IN_FUTURE = "issued_in_future";
  public static final String EXPIRED = "expired";
  public static final String LIFETIME_EXCEEDED = "lifetime_exceeded";
  public static final String AGENT_REVOKED = "agent_revoked";
  public static final String UNKNOWN_AGENT = "Unknown agent identity";
  public static final String BINDING_FAILED = "Agent identity binding failed";
  public static final String AUDIENCE_MISMATCH = "audience_mismatch";
  public static final String DEPTH_EXCEEDED = "Delegation depth exceeded";
  public static final String INVALID_CHAIN = "Invalid delegation chain";
  public static final String POLICY_VIOLATION = "Delegation policy violation";
  public static final String REPLAY = "Replay detected";
  /** The reference's registry-mode replay reason. */
  public static final String REPLAY_REGISTRY = "replay_detected";
  /** Ours: the packet does not have the model's shape (a missing field, a wrong type). */
  public static final String MALFORMED_PACKET = "malformed_packet";
  /** Ours: the replay store is at its bound of unexpired nonces; try again later. */
  public static final String REPLAY_STORE_FULL = "replay_store_full";
  /** Ours: the replay store failed (disk, database); the receiver fails closed. */
  public static final String REPLAY_STORE_UNAVAILABLE = "replay_store_unavailable";

  private Reasons() {}
}
