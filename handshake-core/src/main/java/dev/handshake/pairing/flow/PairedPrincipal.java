package dev.handshake.pairing.flow;

import dev.handshake.pairing.Requester;
import dev.handshake.pairing.auth.Principal;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Who a valid access token speaks for: a paired requester, the scopes its token carries, and
 * when the token stops working. {@link #asAuthPrincipal()} is the same caller in the {@link
 * dev.handshake.pairing.auth.AuthProtocol} vocabulary.
 */
public record PairedPrincipal(Requester requester, Set<String> scopes, Instant expiresAt) {
  /** The role of a principal whose token came from the device flow. */
  public static final String DEVICE_ROLE = "device";
  /** The role of any other paired principal. */
  public static final String PAIRED_ROLE = "paired";

  public PairedPrincipal {
    scopes = Set.copyOf(scopes);
  }

  public boolean hasScope(String scope) {
    return scopes.contains(scope);
  }

  /**
   * As a {@link Principal}: id {@code channel:account:sender}, role {@value #DEVICE_ROLE} for
   * device-flow requesters and {@value #PAIRED_ROLE} for others, the token's scopes, and the
   * requester's parts and expiry as metadata.
   */
  public Principal asAuthPrincipal() {
    String role =
        requester.channelType().equals(DeviceFlow.CHANNEL_TYPE) ? DEVICE_ROLE : PAIRED_ROLE;
    return new Principal(requester.toString(), role, scopes,
        Map.of("channel", requester.channelType(), "account", requester.accountId(),
            "sender", requester.senderId(), "expires_at", expiresAt.toString()));
  }
}
