package dev.handshake.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code handshake relay}: talks to a keep-protocol relay as an agent (keep.md §2.12, §3 item
 * 12) with the Java relay client: {@code send}, {@code listen} and {@code discover}.
 */
@Command(
    name = "relay",
    mixinStandardHelpOptions = true,
    subcommands = {RelaySendCommand.class, RelayListenCommand.class, RelayDiscoverCommand.class},
    description = "Send, listen and discover on a keep-protocol relay (signed agent packets).")
final class RelayCommand implements Runnable {
  /** Exit code for a reply of the form {@code error:*}. */
  static final int EXIT_ERROR_REPLY = 1;

  /** Exit code when the relay cannot be reached or the connection fails (or a key file fails). */
  static final int EXIT_IO = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
