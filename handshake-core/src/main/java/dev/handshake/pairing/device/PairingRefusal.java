package dev.handshake.pairing.device;

/** Why a device with a valid proof was still refused by a pairing rule (pairing.md §2.4). */
public enum PairingRefusal implements ConnectRefusal {
  /** The bootstrap token is unknown, used, expired, or was redeemed by another key. */
  BOOTSTRAP_TOKEN_INVALID("bootstrap_token_invalid",
      "the setup code is invalid, used or expired; ask for a new one"),
  /** Too many device requests are waiting for approval, overall or from this address. */
  PENDING_FULL("device_pairing_pending_full",
      "too many device requests are waiting for approval; retry later"),
  /** The device asked for more scopes than a device may hold. */
  TOO_MANY_SCOPES("device_scopes_too_many", "the device asked for too many scopes"),
  /** The device was removed while it connected; connecting again starts over. */
  CONFLICT("device_pairing_conflict", "the device changed while connecting; connect again");

  private final String code;
  private final String message;

  PairingRefusal(String code, String message) {
    this.code = code;
    this.message = message;
  }

  @Override
  public String code() {
    return code;
  }

  @Override
  public String message() {
    return message;
  }
}
