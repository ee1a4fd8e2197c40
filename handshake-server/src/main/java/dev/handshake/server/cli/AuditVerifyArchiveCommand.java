package dev.handshake.server.cli;

import dev.handshake.audit.archive.ArchiveVerifier;
import dev.handshake.audit.archive.InvalidArchiveException;
import dev.handshake.identity.IdentityDocument;
import dev.handshake.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code handshake audit verify-archive FILE.pqz}: reads a {@code .pqz} archive, ours or the
 * reference's (aiss.md §2.7), within the default size limits, and verifies it (§3 item 10):
 * checksum, index, metadata, and every signature, link and the signed head through {@code
 * ChainVerifier}. Prints one line per event and a summary, or with {@code --json} the full report.
 *
 * <p>A reference archive carries no key: pass the agent's identity with {@code --identity FILE}
 * (which also pins the key of an archive that has one). Exit 0 when the archive verifies, 1 when it
 * does not (including an encrypted member altered so that it no longer decrypts), 2 when the file
 * is not a safe, readable archive, the passphrase is missing or wrong, or an option is unusable.
 */
@Command(
    name = "verify-archive",
    mixinStandardHelpOptions = true,
    description =
        "Verify a .pqz archive: checksum, index, metadata, every signature, link and the signed"
            + " head.")
final class AuditVerifyArchiveCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The .pqz archive to verify.")
  Path file;

  @Option(names = "--json", description = "Print the verification report as JSON.")
  boolean json;

  @Option(
      names = "--passphrase-env",
      paramLabel = "VAR",
      description =
          "Read the archive passphrase from environment variable VAR (default: ask on the"
              + " terminal when the events are encrypted).")
  @Nullable String passphraseEnv;

  @Option(
      names = "--identity",
      paramLabel = "FILE",
      description =
          "The agent's identity (identity.json or an audit export): needed for reference"
              + " archives, pins the key of ours.")
  @Nullable Path identityFile;

  @Option(
      names = "--profile",
      paramLabel = "PROFILE",
      description =
          "ours, foreign or reference (default: ours for archives handshake wrote, else foreign).")
  @Nullable String profile;

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    ArchiveVerifier.Options options = ArchiveVerifier.Options.defaults();
    if (profile != null) {
      options =
          options.withProfile(
              ArchiveVerifier.Profile.of(profile)
                  .orElseThrow(() ->
                      new CommandLine.ParameterException(
                          cmd, "--profile must be ours, foreign or reference, not " + profile)));
    }
    ArchiveCheck check;
    try {
      if (identityFile != null) {
        IdentityDocument identity = ArchiveCheck.readIdentity(identityFile);
        options = options.withIdentity(identity);
      }
      check = ArchiveCheck.read(cmd, file, passphraseEnv, options);
    } catch (InvalidArchiveException e) {
      int exit =
          e.reason() == InvalidArchiveException.Reason.ALTERED
              ? AuditCommand.EXIT_REFUSED
              : AuditCommand.EXIT_UNUSABLE;
      return AuditCommand.fail(
          cmd, "verify-archive", ExportCheck.printable(file + ": " + e.getMessage(), 600), exit);
    } catch (AuditCommand.UnusableInputException e) {
      return AuditCommand.unusable(cmd, "verify-archive", e.getMessage());
    } catch (IOException e) {
      return AuditCommand.unusable(cmd, "verify-archive", AuditCommand.explain(e));
    }
    if (json) {
      cmd.getOut().print(Json.pretty(check.report().toJson()));
      cmd.getOut().flush();
    } else {
      check.print(cmd.getOut());
    }
    return check.report().valid() ? 0 : AuditCommand.EXIT_REFUSED;
  }
}
