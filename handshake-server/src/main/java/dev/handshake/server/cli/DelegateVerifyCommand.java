package dev.handshake.server.cli;

import dev.handshake.delegation.Decision;
import dev.handshake.delegation.DelegationEnvelope;
import dev.handshake.delegation.DelegationTrust;
import dev.handshake.delegation.HandoffConfig;
import dev.handshake.delegation.HandoffReceiver;
import dev.handshake.delegation.InMemoryReplayStore;
import dev.handshake.delegation.ReplayStore;
import dev.handshake.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code handshake delegate verify FILE}: decides a packet or envelope file as a receiver would
 * (trusthandoff.md §3, our pipeline; {@code --profile reference} for the reference's) and prints
 * the decision and its reason. Exit 0 only on ACCEPT, 1 on REJECT, 2 when the file is not a packet
 * or envelope or a flag's file cannot be used.
 *
 * <p>One packet is checked, not a stream: no replay memory outlives the run, so a packet already
 * accepted elsewhere still verifies here. Replay protection belongs to the receiving service
 * ({@code POST /delegation/verify} on the server keeps one replay store).
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Decide a hand-off packet or envelope as a receiver would; exit 0 only on ACCEPT.",
      "Checks this one packet: no replay store is kept (use the server's /delegation/verify for that)."
    })
final class DelegateVerifyCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "FILE",
      description = "The packet or envelope (either wire form).")
  Path file;

  @Option(
      names = "--receiver",
      paramLabel = "ID",
      description =
          "The receiving agent's id for the audience check (repeatable; default: the packet's to_agent, which then checks nothing).")
  List<String> receivers = new ArrayList<>();

  @Option(
      names = "--registry",
      paramLabel = "FILE",
      description = "JSON object {\"<agent id>\": \"<public key PEM>\"} of registered agents.")
  @Nullable Path registry;

  @Option(
      names = "--trust-anchor",
      paramLabel = "ID",
      description =
          "Agent id allowed to issue root capabilities (repeatable); without one a packet carrying a capability token is rejected.")
  List<String> trustAnchors = new ArrayList<>();

  @Option(
      names = "--profile",
      defaultValue = "default",
      paramLabel = "PROFILE",
      description =
          "default (our pipeline) or reference (the reference's decisions, defects included).")
  String profile;

  @Option(
      names = "--reason-style",
      paramLabel = "VERSION",
      description =
          "Time-window reasons as 0.3.1 (expired, issued_in_future, ...; default) or 0.2.3 (Packet validation failed).")
  @Nullable String reasonStyle;

  @Option(
      names = "--json",
      description = "Print the decision as {\"packet_id\",\"decision\",\"reason\"}.")
  boolean json;

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    HandoffConfig config = config(cmd);
    DelegationEnvelope envelope;
    DelegationTrust trust;
    try {
      envelope = DelegateCommand.readPacketFile(file);
      trust = DelegationTrust.read(Optional.ofNullable(registry), trustAnchors);
    } catch (AuditCommand.UnusableInputException e) {
      return DelegateCommand.unusable(cmd, "verify", e.getMessage());
    } catch (IOException e) {
      return DelegateCommand.unusable(cmd, "verify", AuditCommand.explain(e));
    }
    Set<String> audience = Set.copyOf(receivers);
    if (audience.isEmpty() && config.requireAudience()) {
      audience = Set.of(envelope.packet().toAgent());
      cmd.getErr()
          .println(
              "assuming the receiver is the packet's to_agent "
                  + envelope.packet().toAgent()
                  + " (pass --receiver ID to check the audience)");
      cmd.getErr().flush();
    }
    Clock clock = CommandEnvironment.of(cmd).clock();
    Decision decision;
    // fresh for this one packet: the reference profile records its nonce (twice with a registry)
    // first
    try (ReplayStore once = new InMemoryReplayStore(16)) {
      HandoffReceiver receiver =
          new HandoffReceiver(
              config,
              audience,
              trust.agentRegistry(),
              once,
              trust.capabilityGate(clock),
              clock,
              config.profile() == HandoffConfig.Profile.REFERENCE && trust.hasRegistry());
      decision = receiver.receive(envelope);
    }
    PrintWriter out = cmd.getOut();
    if (json) {
      out.println(Json.text(decision.toJson()));
    } else {
      out.println(decision.verdict() + "  " + decision.reason().orElse("(no reason)"));
      out.println(
          "packet "
              + decision.packetId()
              + ": "
              + envelope.packet().fromAgent()
              + " -> "
              + envelope.packet().toAgent());
    }
    out.flush();
    return decision.accepted() ? 0 : DelegateCommand.EXIT_REJECTED;
  }

  private HandoffConfig config(CommandLine cmd) {
    HandoffConfig.ReasonStyle style =
        switch (reasonStyle == null ? "0.3.1" : reasonStyle) {
          case "0.3.1", "v0.3.1" -> HandoffConfig.ReasonStyle.V0_3_1;
          case "0.2.3", "v0.2.3" -> HandoffConfig.ReasonStyle.V0_2_3;
          default ->
              throw new CommandLine.ParameterException(
                  cmd, "--reason-style must be 0.2.3 or 0.3.1, not " + reasonStyle);
        };
    return switch (profile) {
      case "default" -> HandoffConfig.defaults().withReasonStyle(style);
      case "reference" -> HandoffConfig.reference(style);
      default ->
          throw new CommandLine.ParameterException(
              cmd, "--profile must be default or reference, not " + profile);
    };
  }
}
