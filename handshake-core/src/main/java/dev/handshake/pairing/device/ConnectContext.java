package dev.handshake.pairing.device;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the transport knows about a connect besides the signed proof: where it came from, its
 * headers, what the device says about itself, and what it wants done (pairing.md §2.4). None of it
 * is signed, so none of it is identity.
 *
 * @param remoteAddress the TCP peer's address literal (not a forwarded one)
 * @param headers request headers, names in any case (for the loopback rule)
 * @param bootstrapToken from a setup code, when the device has one; {@link #toString()} redacts it
 * @param rotateToken the device asks for a new token for its role even if it holds a live one
 */
public record ConnectContext(
    String remoteAddress,
    Map<String, List<String>> headers,
    String displayName,
    String platform,
    Optional<String> bootstrapToken,
    boolean rotateToken) {

  public ConnectContext {
    headers = Map.copyOf(headers);
  }

  /** A plain connect from {@code remoteAddress}: no bootstrap token, no rotation. */
  public static ConnectContext of(String remoteAddress, Map<String, List<String>> headers) {
    return new ConnectContext(remoteAddress, headers, "", "", Optional.empty(), false);
  }

  public ConnectContext withBootstrapToken(String token) {
    return new ConnectContext(remoteAddress, headers, displayName, platform, Optional.of(token),
        rotateToken);
  }

  public ConnectContext withDisplay(String name, String devicePlatform) {
    return new ConnectContext(remoteAddress, headers, name, devicePlatform, bootstrapToken,
        rotateToken);
  }

  public ConnectContext rotatingToken() {
    return new ConnectContext(remoteAddress, headers, displayName, platform, bootstrapToken, true);
  }

  @Override
  public String toString() {
    return "ConnectContext[remoteAddress=" + remoteAddress + ", displayName=" + displayName
        + ", platform=" + platform + ", bootstrapToken="
        + bootstrapToken.map(t -> "<redacted>").orElse("none") + ", rotateToken=" + rotateToken
        + "]";
  }
}
