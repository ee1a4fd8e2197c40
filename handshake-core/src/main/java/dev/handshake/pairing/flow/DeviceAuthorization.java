package dev.handshake.pairing.flow;

import dev.handshake.crypto.BearerSecret;
import dev.handshake.pairing.PairingCode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A device authorization response (RFC 8628 §3.2): what a client that asked for access shows its
 * user and how it polls. Both codes are secrets with redacted {@code toString()}, and {@link
 * #verificationUriComplete()} is a method rather than a component so that printing the record
 * never prints the code inside it.
 *
 * @param deviceCode the client's polling secret ({@code device_code}): 32 random bytes, base64url
 * @param userCode the pairing code the user confirms ({@code user_code}); show it even when the
 *     complete URI is used (§5.4)
 * @param verificationUri {@code verification_uri}
 * @param expiresIn {@code expires_in}: the pairing code's lifetime
 * @param interval {@code interval}: the minimum time between polls
 * @param requestId the pairing request the owner approves, as it appears in {@code pairing list}
 */
public record DeviceAuthorization(
    BearerSecret deviceCode,
    PairingCode userCode,
    URI verificationUri,
    Duration expiresIn,
    Duration interval,
    String requestId) {

  /**
   * {@code verification_uri_complete}: the verification URI with {@code user_code=XXXX-XXXX}
   * added to its query, for a QR code or a link. It contains the code.
   */
  public String verificationUriComplete() {
    String base = verificationUri.toString();
    String sep = verificationUri.getRawQuery() == null ? "?" : "&";
    return base + sep + "user_code="
        + URLEncoder.encode(userCode.display(), StandardCharsets.US_ASCII);
  }
}
