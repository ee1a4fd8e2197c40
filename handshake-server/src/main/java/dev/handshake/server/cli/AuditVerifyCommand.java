package dev.handshake.server.cli;

import dev.handshake.audit.ChainHead;
import dev.handshake.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code handshake audit verify FILE}: verifies an {@code AISS-1.0-AUDIT} export (aiss.md §2.4, §3
 * item 5) and prints one line per event and a summary, or with {@code --json} the full report plus
 * {@code chain_integrity_hash_valid}. Every failure is listed, each with its event index.
 *
 * <p>{@code --head FILE} supplies a signed head seen elsewhere (newer than the file's), so a copy
 * with its last events dropped is caught. Exit 0 when the chain verifies and the chain hash
 * recomputes, 1 when not, 2 when the file is not an audit export (or cannot be read).
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = "Verify an AISS-1.0-AUDIT export: every event, linkage, head and chain hash.")
final class AuditVerifyCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The audit export to verify.")
  Path file;

  @Option(names = "--json", description = "Print the verification report as JSON.")
  boolean json;

  @Option(
      names = "--profile",
      paramLabel = "PROFILE",
      description =
          "ours, foreign or reference (default: ours for files handshake wrote, else foreign).")
  @Nullable String profile;

  @Option(
      names = "--head",
      paramLabel = "HEADFILE",
      description = "A signed chain head (audit head --out) to check against the file's chain.")
  @Nullable Path headFile;

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    if (profile != null && !ExportCheck.PROFILES.contains(profile)) {
      throw new CommandLine.ParameterException(
          cmd, "--profile must be ours, foreign or reference, not " + profile);
    }
    ExportCheck check;
    try {
      Optional<ChainHead> head =
          headFile == null ? Optional.empty() : Optional.of(ExportCheck.readHead(headFile));
      check = ExportCheck.read(file, Optional.ofNullable(profile), head);
    } catch (AuditCommand.UnusableInputException e) {
      return AuditCommand.unusable(cmd, "verify", e.getMessage());
    } catch (IOException e) {
      return AuditCommand.unusable(cmd, "verify", AuditCommand.explain(e));
    }
    if (json) {
      cmd.getOut().print(Json.pretty(check.json()));
      cmd.getOut().flush();
    } else {
      check.print(cmd.getOut());
    }
    return check.valid() ? 0 : AuditCommand.EXIT_REFUSED;
  }
}
