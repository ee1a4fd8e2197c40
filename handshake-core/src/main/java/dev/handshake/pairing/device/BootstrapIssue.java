package dev.handshake.pairing.device;

import dev.handshake.crypto.BearerSecret;
import java.time.Duration;

/** What asking for a bootstrap (setup/QR) token gave. */
public sealed interface BootstrapIssue {

  /** A new token; {@code secret} goes into a {@link SetupCode} now and is never shown again. */
  record Issued(BootstrapToken token, BearerSecret secret) implements BootstrapIssue {}

  /** The maximum number of redeemable tokens exist; the oldest expires in {@code retryAfter}. */
  record Full(Duration retryAfter) implements BootstrapIssue {}
}
