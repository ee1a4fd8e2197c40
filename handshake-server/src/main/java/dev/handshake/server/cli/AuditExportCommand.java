package dev.handshake.server.cli;

import dev.handshake.audit.AuditExport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code handshake audit export --key KEYFILE --out FILE}: writes the agent's chain as an {@code
 * AISS-1.0-AUDIT} file (aiss.md §2.7) in the reference's exact layout, with our {@code "handshake"}
 * extension carrying a signed head that covers every event (the stored one, or one signed now when
 * it is missing or older than the chain). {@code --reference-exact} leaves the extension out and
 * names the reference exporter.
 *
 * <p>The identity is the key's, {@code created_at} the first event's timestamp (now for an empty
 * chain), no metadata. {@code --out} is never replaced unless {@code --force}. Exit 0, or 2.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Write the agent's chain as an AISS-1.0-AUDIT export with its signed head.")
final class AuditExportCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin AuditAgentOptions agent;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "File to write.")
  Path out;

  @Option(names = "--force", description = "Replace --out if it exists.")
  boolean force;

  @Option(
      names = "--reference-exact",
      description = "Exactly the reference layout: no signed head, exporter piqrypt/1.0.0.")
  boolean referenceExact;

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    try {
      if (!force && Files.exists(out)) {
        throw new FileAlreadyExistsException(out.toString());
      }
      AuditAgentOptions.ChainSnapshot chain = agent.snapshot(cmd, !referenceExact);
      String agentId = chain.identity().agentId();
      long now = CommandEnvironment.of(cmd).clock().instant().getEpochSecond();
      AuditExport export = AuditExport.of(chain.identity(), chain.events(), now, chain.head());
      if (referenceExact) {
        export = export.referenceExact();
      }
      AuditCommand.write(out, export.toBytes(), force);
      cmd.getOut()
          .println(
              "wrote "
                  + out
                  + ": "
                  + export.events().size()
                  + " events of "
                  + agentId
                  + ", chain_integrity_hash "
                  + export.chainIntegrityHash().substring(0, 16)
                  + "…"
                  + (referenceExact ? " (reference-exact, no signed head)" : ""));
      cmd.getOut().flush();
      return 0;
    } catch (AuditCommand.UnusableInputException e) {
      return AuditCommand.unusable(cmd, "export", e.getMessage());
    } catch (IOException e) {
      return AuditCommand.unusable(cmd, "export", AuditCommand.explain(e));
    } catch (UncheckedIOException e) {
      return AuditCommand.unusable(cmd, "export", e.getCause().getMessage());
    } finally {
      agent.wipe();
    }
  }
}
