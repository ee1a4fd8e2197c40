package dev.handshake.pairing.device;

/**
 * Why a signed connect proof was refused (pairing.md §2.4, §4 item 12). Each has its own OpenClaw
 * wire name ({@link #code()}, e.g. {@code DEVICE_AUTH_NONCE_REQUIRED}), so OpenClaw clients
 * recognise it.
 */
public enum DeviceAuthError implements ConnectRefusal {
  /** The proof carries no nonce. */
  NONCE_REQUIRED("DEVICE_AUTH_NONCE_REQUIRED",
      "connect needs the nonce of a connect.challenge"),
  /** The nonce was never issued, was already used, or has expired. */
  NONCE_MISMATCH("DEVICE_AUTH_NONCE_MISMATCH",
      "the nonce is unknown, used or expired; ask for a new challenge"),
  /** The signature does not verify over the payload (or the fields cannot form one). */
  SIGNATURE_INVALID("DEVICE_AUTH_SIGNATURE_INVALID",
      "the signature does not verify over the connect payload"),
  /** {@code signedAtMs} is further from the server's clock than the allowed skew. */
  SIGNATURE_EXPIRED("DEVICE_AUTH_SIGNATURE_EXPIRED",
      "signedAtMs is too far from the server's time; check the device clock"),
  /** {@code deviceId} is not the SHA-256 of the public key. */
  DEVICE_ID_MISMATCH("DEVICE_AUTH_DEVICE_ID_MISMATCH",
      "deviceId is not the hex SHA-256 of the public key"),
  /** The public key is not an Ed25519 key in a known form. */
  PUBLIC_KEY_INVALID("DEVICE_AUTH_PUBLIC_KEY_INVALID",
      "publicKey is not an Ed25519 key (base64url raw bytes or PEM)");

  private final String code;
  private final String message;

  DeviceAuthError(String code, String message) {
    this.code = code;
    this.message = message;
  }

  /** The OpenClaw wire name, {@code DEVICE_AUTH_…}. */
  @Override
  public String code() {
    return code;
  }

  @Override
  public String message() {
    return message;
  }
}
