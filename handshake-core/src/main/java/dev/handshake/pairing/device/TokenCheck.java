package dev.handshake.pairing.device;

import java.util.Locale;

/**
 * What checking a presented device token gave (pairing.md §2.4). The checks run in OpenClaw's
 * order and each failure is its own value: not paired, role not approved, token missing, revoked,
 * mismatch, scope mismatch.
 */
public sealed interface TokenCheck {

  /** The token is the device's live token for the role, and the scopes are approved. */
  record Valid(PairedDevice device, DeviceToken token) implements TokenCheck {}

  /** The token does not admit the device; {@code failure} says which check. */
  record Failed(Failure failure) implements TokenCheck {}

  /** Why a token check failed, in the order the checks run. */
  enum Failure {
    /** No paired device has this id. */
    NOT_PAIRED,
    /** The device is paired, but not for this role. */
    ROLE_NOT_APPROVED,
    /** Nothing was presented, or no token was ever issued for the role. */
    TOKEN_MISSING,
    /** The role's token was revoked (a new one comes with the device's next signed connect). */
    TOKEN_REVOKED,
    /** The presented token is not the role's current token (for example, a rotated-out one). */
    TOKEN_MISMATCH,
    /** The token is right, but a requested scope is not approved for the device. */
    SCOPE_MISMATCH;

    /** {@code device_not_paired}, {@code device_token_revoked}… as a JSON error code. */
    public String code() {
      return "device_" + name().toLowerCase(Locale.ROOT);
    }
  }
}
