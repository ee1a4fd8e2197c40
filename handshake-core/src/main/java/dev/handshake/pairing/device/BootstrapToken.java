package dev.handshake.pairing.device;

import java.time.Instant;
import java.util.Optional;

/**
 * What is known about a bootstrap (setup/QR) token, without the token (pairing.md §2.4, §4 item
 * 14): single-use, short-lived, and bound to the first device and key that redeem it. The token
 * itself is shown once, inside a {@link SetupCode}, and stored only as an HMAC.
 *
 * @param id names the token in listings and events (not secret)
 * @param redeemedBy the device id that redeemed it
 * @param redeemedKey that device's key, unpadded base64url
 */
public record BootstrapToken(
    String id,
    Instant issuedAt,
    Instant expiresAt,
    String issuedBy,
    Optional<Instant> redeemedAt,
    Optional<String> redeemedBy,
    Optional<String> redeemedKey) {

  /** Not yet redeemed and not expired at {@code now}. */
  public boolean redeemableAt(Instant now) {
    return redeemedAt.isEmpty() && now.isBefore(expiresAt);
  }

  BootstrapToken redeem(DeviceIdentity device, Instant at) {
    return new BootstrapToken(id, issuedAt, expiresAt, issuedBy, Optional.of(at),
        Optional.of(device.deviceId()), Optional.of(device.publicKeyBase64Url()));
  }
}
