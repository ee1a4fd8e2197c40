package dev.handshake.pairing.device;

import java.util.Set;

/**
 * What a device whose proof verified asks for (pairing.md §2.4): a role and scopes, with what it
 * says about itself. Display fields are cleaned (control characters and {@code |} dropped, at most
 * 256 characters) and never used as identity.
 *
 * @param scopes kept sorted, without duplicates
 * @param remoteAddress where the connect came from, for owners and the per-address cap; {@code ""}
 *     when unknown
 */
public record AccessAsk(
    DeviceIdentity identity,
    String clientId,
    String role,
    Set<String> scopes,
    String displayName,
    String platform,
    String remoteAddress) {

  /**
   * @throws IllegalArgumentException when role, scopes or client id are not names ({@code
   *     [A-Za-z0-9._:-]{1,128}}); a verified proof always has valid ones
   */
  public AccessAsk {
    if (!Names.isName(role) || !Names.isName(clientId) || !Names.allNames(scopes)) {
      throw new IllegalArgumentException("role, client id and scopes must be names");
    }
    scopes = Names.sorted(scopes);
    displayName = Names.clean(displayName);
    platform = Names.clean(platform);
    remoteAddress = Names.clean(remoteAddress);
  }

  /** What a verified proof asks for, with the display fields given. */
  public static AccessAsk of(DeviceAuthResult.Verified v, String displayName, String platform,
      String remoteAddress) {
    return new AccessAsk(v.identity(), v.clientId(), v.role(), v.scopes(), displayName, platform,
        remoteAddress);
  }

  public String deviceId() {
    return identity.deviceId();
  }
}
