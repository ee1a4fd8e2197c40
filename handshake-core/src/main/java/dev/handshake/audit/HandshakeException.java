package dev.handshake.audit;

/**
 * An A2A handshake message or event was refused; {@link #reason()} says which kind of check failed
 * (so callers and tests need not match message text) and the message says exactly which one.
 */
public final class HandshakeException extends Exception {
  /** The kind of check that failed. */
  public enum Reason {
    /** A field is missing, of the wrong type or undecodable; wrong version or message_type. */
    MALFORMED,
    /** {@code agent_id} is not derived from {@code public_key}. */
    AGENT_ID_MISMATCH,
    /** The Ed25519 signature does not verify. */
    BAD_SIGNATURE,
    /** The timestamp is outside the freshness window ({@link A2aHandshake#FRESHNESS}). */
    STALE,
    /** The {@code session_nonce} was already used: a replayed proposal. */
    REPLAYED,
    /** The message does not belong to this exchange (nonce echo, hashes, session id, signer). */
    NOT_BOUND,
    /** The message is addressed to another agent. */
    MISADDRESSED,
    /** The response says {@code accepted:false}. */
    DECLINED,
    /** Too many handshakes in progress (the nonce cache is full). */
    BUSY,
    /** A handshake event without {@code peer_message}: a reference event, not verifiable. */
    NOT_COSIGNED,
    /** The peer registry binds this agent_id to a different public key. */
    PEER_KEY_CONFLICT,
    /** A response to a proposal this agent has no outstanding record of (completed, expired, not ours). */
    UNKNOWN_PROPOSAL
  }

  private final Reason reason;

  public HandshakeException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
