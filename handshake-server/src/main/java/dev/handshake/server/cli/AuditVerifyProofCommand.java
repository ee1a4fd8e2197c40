package dev.handshake.server.cli;

import dev.handshake.audit.log.ConsistencyBundle;
import dev.handshake.audit.log.LogFormatException;
import dev.handshake.audit.log.LogTrust;
import dev.handshake.audit.log.LogVerification;
import dev.handshake.audit.log.ProofBundle;
import dev.handshake.audit.log.VerifierKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code handshake audit verify-proof}: checks an offline proof bundle against a trusted log key,
 * with no server involved — an inclusion bundle ({@code c2sp.org/tlog-proof@v1}) together with
 * the entry it proves, or a consistency bundle ({@code handshake-tlog-consistency/1}). Exit 0
 * when valid, 1 when a check failed (named on stdout), 2 when an input cannot be read.
 */
@Command(
    name = "verify-proof",
    mixinStandardHelpOptions = true,
    description = "Verify an inclusion or consistency proof bundle offline against the log key.")
final class AuditVerifyProofCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--log-key",
      required = true,
      paramLabel = "KEY",
      description = "The log's verifier key (name+hexid+base64), or @FILE holding it.")
  String logKey;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Bundle bundle;

  static final class Bundle {
    @Option(names = "--inclusion", paramLabel = "FILE", description = "Inclusion proof bundle.")
    Path inclusion;

    @Option(names = "--consistency", paramLabel = "FILE", description = "Consistency proof bundle.")
    Path consistency;
  }

  @Option(
      names = "--entry",
      paramLabel = "FILE",
      description = "The exact entry bytes an inclusion bundle proves (required with --inclusion).")
  Path entry;

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    try {
      LogTrust trust = LogTrust.of(VerifierKey.parse(AuditProofs.readArg(logKey).strip()));
      LogVerification result;
      if (bundle.inclusion != null) {
        if (entry == null) {
          return AuditProofs.fail(cmd, "verify-proof", "--inclusion needs --entry FILE");
        }
        result =
            ProofBundle.verify(
                Files.readString(bundle.inclusion, StandardCharsets.UTF_8),
                Files.readAllBytes(entry),
                trust);
      } else {
        result =
            ConsistencyBundle.verify(
                Files.readString(bundle.consistency, StandardCharsets.UTF_8), trust);
      }
      return AuditProofs.report(cmd, result);
    } catch (LogFormatException e) {
      return AuditProofs.fail(cmd, "verify-proof", "log key: " + e.getMessage());
    } catch (IOException e) {
      return AuditProofs.fail(cmd, "verify-proof", IdCommand.explain(e));
    }
  }
}
