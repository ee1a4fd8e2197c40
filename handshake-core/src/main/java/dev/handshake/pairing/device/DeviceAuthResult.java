package dev.handshake.pairing.device;

import dev.handshake.crypto.Ed25519PublicKey;
import java.util.Set;

/** What checking a device's connect proof gave (pairing.md §2.4, §4 item 12). */
public sealed interface DeviceAuthResult {

  /**
   * The device holds the private key of {@code publicKey} and signed this request just now. It
   * proves identity only: whether the device is paired for {@code role} and {@code scopes} is the
   * {@link DeviceStore}'s question.
   *
   * @param scopes what the device asked for, sorted, without duplicates
   * @param version the payload layout the signature was made over
   */
  record Verified(String deviceId, Ed25519PublicKey publicKey, String clientId, String role,
      Set<String> scopes, ConnectPayload.Version version) implements DeviceAuthResult {
    public Verified {
      scopes = Names.sorted(scopes);
    }

    public DeviceIdentity identity() {
      return new DeviceIdentity(deviceId, publicKey);
    }
  }

  /** The proof failed; {@code error} says which check. */
  record Refused(DeviceAuthError error) implements DeviceAuthResult {}
}
