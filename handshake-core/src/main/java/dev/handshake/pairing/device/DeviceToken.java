package dev.handshake.pairing.device;

import java.time.Instant;
import java.util.Optional;

/**
 * What is known about a device's token for one role, without the token (pairing.md §2.4, §3.2
 * rule 7). The token itself is shown once when issued and stored only as an HMAC.
 *
 * @param generation 1 for the role's first token, one more for each rotation
 * @param lastUsedAt the latest successful check
 */
public record DeviceToken(
    String deviceId,
    String role,
    int generation,
    Instant issuedAt,
    String issuedBy,
    Optional<Instant> revokedAt,
    Optional<String> revokedBy,
    Optional<Instant> lastUsedAt) {

  /** Not revoked. */
  public boolean live() {
    return revokedAt.isEmpty();
  }

  DeviceToken revoke(String actor, Instant at) {
    return new DeviceToken(deviceId, role, generation, issuedAt, issuedBy, Optional.of(at),
        Optional.of(actor), lastUsedAt);
  }

  DeviceToken used(Instant at) {
    return new DeviceToken(deviceId, role, generation, issuedAt, issuedBy, revokedAt, revokedBy,
        Optional.of(at));
  }
}
