package dev.handshake.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The bearer token of one HPP session (hpp.md §2.4), kept out of logs: {@link #toString()} prints a
 * redacted form and the raw text is only available through the deliberate {@link #reveal()}.
 */
public final class SessionToken {
  private final String value;

  private SessionToken(String value) {
    this.value = value;
  }

  /**
   * Wraps a token as printed in a prompt or returned by {@code POST {prefix}/session}.
   *
   * @throws IllegalArgumentException when {@code value} is empty or contains a line break (it could
   *     never be sent as a header)
   */
  public static SessionToken of(String value) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException("token must not be empty");
    }
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("token must not contain line breaks");
    }
    return new SessionToken(value);
  }

  /** The raw token, for the {@code X-Handshake-Token} header or a WebSocket URL. */
  public String reveal() {
    return value;
  }

  /** Constant-time comparison, so equality checks do not leak how much of a token matched. */
  @Override
  public boolean equals(Object o) {
    return o instanceof SessionToken other
        && MessageDigest.isEqual(
            value.getBytes(StandardCharsets.UTF_8), other.value.getBytes(StandardCharsets.UTF_8));
  }

  /** A constant: a hash of the token would be one more copy of it to keep secret. */
  @Override
  public int hashCode() {
    return SessionToken.class.hashCode();
  }

  @Override
  public String toString() {
    return "SessionToken[redacted]";
  }
}
