package dev.handshake.server.cli;

import dev.handshake.audit.ChainHead;
import dev.handshake.audit.tsa.TsaTrust;
import dev.handshake.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code handshake audit verify FILE}: verifies an {@code AISS-1.0-AUDIT} export (aiss.md §2.4, §3
 * item 5) and prints one line per event and a summary, or with {@code --json} the full report plus
 * {@code chain_integrity_hash_valid}. Every failure is listed, each with its event index.
 *
 * <p>{@code --head FILE} supplies a signed head seen elsewhere (newer than the file's), so a copy
 * with its last events dropped is caught. {@code --tsa-root PEM} (with {@code --data DIR} for the
 * sidecar) adds the events' RFC 3161 tokens, each verified offline ({@link TimestampReport});
 * they do not change the exit code. Exit 0 when the chain verifies and the chain hash recomputes,
 * 1 when not, 2 when the file is not an audit export (or cannot be read).
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

  @Option(
      names = "--tsa-root",
      paramLabel = "PEM",
      description =
          "Also verify RFC 3161 tokens (embedded reference tokens, and the sidecar of --data)"
              + " against these TSA roots.")
  @Nullable Path tsaRoot;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "With --tsa-root: the folder whose audit-timestamps.db to read.")
  @Nullable Path data;

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    if (profile != null && !ExportCheck.PROFILES.contains(profile)) {
      throw new CommandLine.ParameterException(
          cmd, "--profile must be ours, foreign or reference, not " + profile);
    }
    ExportCheck check;
    Optional<TimestampReport> timestamps = Optional.empty();
    try {
      Optional<ChainHead> head =
          headFile == null ? Optional.empty() : Optional.of(ExportCheck.readHead(headFile));
      check = ExportCheck.read(file, Optional.ofNullable(profile), head);
      if (tsaRoot != null) {
        TsaTrust trust;
        try {
          trust = TsaTrust.readPem(tsaRoot);
        } catch (CertificateException e) {
          throw new AuditCommand.UnusableInputException(
              "--tsa-root " + tsaRoot + ": not a certificate file (" + e.getMessage() + ")");
        }
        timestamps =
            Optional.of(TimestampReport.of(check.export().events(), trust, Optional.ofNullable(data)));
      }
    } catch (AuditCommand.UnusableInputException e) {
      return AuditCommand.unusable(cmd, "verify", e.getMessage());
    } catch (IOException e) {
      return AuditCommand.unusable(cmd, "verify", AuditCommand.explain(e));
    } catch (UncheckedIOException e) {
      return AuditCommand.unusable(cmd, "verify", e.getCause().getMessage());
    }
    if (json) {
      ObjectNode report = check.json();
      timestamps.ifPresent(t -> report.set("trusted_timestamps", t.toJson()));
      cmd.getOut().print(Json.pretty(report));
      cmd.getOut().flush();
    } else {
      check.print(cmd.getOut());
      timestamps.ifPresent(t -> t.print(cmd.getOut()));
    }
    return check.valid() ? 0 : AuditCommand.EXIT_REFUSED;
  }
}
