package dev.handshake.pairing.flow;

import java.util.Locale;

/**
 * The OAuth error codes the device flow answers with (RFC 8628 §3.5, RFC 6749 §5.2). {@link
 * #code()} is the wire value; {@link #keepPolling()} says whether a client should poll again.
 */
public enum DeviceFlowError {
  /** The owner has not decided yet; poll again after the interval. */
  AUTHORIZATION_PENDING,
  /**
   * Polled faster than the interval (the interval has grown by 5 seconds), or, from {@link
   * DeviceFlow#start}, too many flows started lately from this client or address.
   */
  SLOW_DOWN,
  /** The owner denied the request. */
  ACCESS_DENIED,
  /** The flow expired (by time, after too many wrong guesses, or replaced by a newer request). */
  EXPIRED_TOKEN,
  /** Unknown device code, a code of another client, or a token was already issued for it. */
  INVALID_GRANT,
  /** A parameter is missing or malformed (an empty device code, an unusable client id). */
  INVALID_REQUEST,
  /** The scope is malformed, too long, or not among the allowed scopes. */
  INVALID_SCOPE,
  /**
   * The poll's DPoP proof is missing or made with another key than the one the flow was started
   * with (RFC 9449 §10 applied to device codes): a stolen device code is useless.
   */
  INVALID_DPOP_PROOF,
  /** The pairing store is full (pending caps); retry later. */
  TEMPORARILY_UNAVAILABLE,
  /** The pairing store answered in a way a fresh flow cannot produce. */
  SERVER_ERROR;

  /** {@code authorization_pending}, {@code slow_down}, … as sent in {@code error}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether a client should poll again: {@code authorization_pending}, {@code slow_down}. */
  public boolean keepPolling() {
    return this == AUTHORIZATION_PENDING || this == SLOW_DOWN;
  }
}
