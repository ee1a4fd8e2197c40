package dev.handshake.pairing.device;

import dev.handshake.crypto.BearerSecret;

/** What asking for a device token gave (pairing.md §2.4, §3.2 rule 7). */
public sealed interface TokenIssue {

  /**
   * A new token; {@code secret} is handed to its holder now and never again (only its HMAC is
   * kept). Any earlier token of the role stopped working in the same transaction.
   */
  record Issued(DeviceToken token, BearerSecret secret) implements TokenIssue {}

  /** The role already has a live token, which the device holds; none was issued. */
  record Kept(DeviceToken token) implements TokenIssue {}

  /** No token: {@code NOT_PAIRED} or {@code ROLE_NOT_APPROVED}. */
  record Refused(TokenCheck.Failure reason) implements TokenIssue {}
}
