package dev.handshake.pairing.flow;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * What the device flow remembers about one started flow, keyed by the HMAC of its device code
 * (the code itself is never stored). Times are kept to the millisecond.
 *
 * @param deviceCodeHash HMAC-SHA256 of the device code under {@code
 *     pepper.derive("device-code")}, hex
 * @param requestId the pairing request whose approval is the consent
 * @param clientId the client that started it; a poll from another client is refused
 * @param scopes what the client asked for
 * @param interval the minimum time between polls, grown by each {@code slow_down}
 * @param lastPollAt when the client last polled
 * @param expiresAt when the flow's pairing request expires
 * @param issued whether the token for its approval was handed out (it is, at most once)
 * @param jkt when the flow was started with a DPoP proof (or {@code dpop_jkt}), the thumbprint
 *     of that key: only a poll proving the same key gets the token (RFC 9449 §10 for device codes)
 */
public record FlowState(
    String deviceCodeHash,
    String requestId,
    String clientId,
    Set<String> scopes,
    Duration interval,
    Optional<Instant> lastPollAt,
    Instant expiresAt,
    boolean issued,
    Optional<String> jkt) {

  public FlowState {
    scopes = Set.copyOf(scopes);
  }

  FlowState polled(Instant at, Duration newInterval) {
    return new FlowState(deviceCodeHash, requestId, clientId, scopes, newInterval,
        Optional.of(at), expiresAt, issued, jkt);
  }

  FlowState markIssued() {
    return new FlowState(deviceCodeHash, requestId, clientId, scopes, interval, lastPollAt,
        expiresAt, true, jkt);
  }
}
