package dev.handshake.pairing.device;

/** What redeeming a bootstrap token gave (pairing.md §4 item 14). */
public sealed interface BootstrapRedemption {

  /** The token is spent, bound to this device, which is now approved for role {@code node}. */
  record Redeemed(BootstrapToken token, PairedDevice device) implements BootstrapRedemption {}

  /**
   * Unknown, expired, already redeemed (by this or another key): {@code bootstrap_token_invalid}.
   * The reasons are not told apart on purpose, so the answer teaches a guesser nothing.
   */
  record Invalid() implements BootstrapRedemption {}
}
