package dev.handshake.pairing.flow;

import java.time.Duration;

/** What starting a device flow gave (RFC 8628 §3.1–3.2). */
public sealed interface StartOutcome {
  /** A flow started; its pairing request is pending in the store. */
  record Started(DeviceAuthorization authorization) implements StartOutcome {}

  /**
   * No flow started. {@link DeviceFlowError#SLOW_DOWN} (the store's creation limit for this client
   * or address; suggested HTTP 429) and {@link DeviceFlowError#TEMPORARILY_UNAVAILABLE} (its pending
   * caps; suggested 503) carry {@code retryAfter}; {@link DeviceFlowError#INVALID_REQUEST} and
   * {@link DeviceFlowError#INVALID_SCOPE} (400) do not.
   *
   * @param description for people ({@code error_description})
   */
  record Refused(DeviceFlowError error, Duration retryAfter, String description)
      implements StartOutcome {}
}
