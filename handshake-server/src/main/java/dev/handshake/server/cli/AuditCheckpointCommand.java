package dev.handshake.server.cli;

import dev.handshake.audit.log.LogFormatException;
import dev.handshake.audit.log.LogTrust;
import dev.handshake.audit.log.LogVerification;
import dev.handshake.audit.log.SignedNote;
import dev.handshake.audit.log.VerifierKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code handshake audit checkpoint}: fetches a server's latest signed checkpoint (C2SP
 * tlog-checkpoint in a signed note), verifies it when {@code --log-key} is given, prints it and
 * optionally saves it — keep the last one you saw to ask for a consistency proof later.
 */
@Command(
    name = "checkpoint",
    mixinStandardHelpOptions = true,
    description = "Fetch (and verify) the server's latest signed checkpoint.")
final class AuditCheckpointCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--server", defaultValue = "http://127.0.0.1:8080", description = "Server base URL (default: ${DEFAULT-VALUE}).")
  String server;

  @Option(names = "--log-key", paramLabel = "KEY", description = "Verify against this log key (or @FILE).")
  String logKey;

  @Option(names = "--out", paramLabel = "FILE", description = "Also write the checkpoint here.")
  Path out;

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    try {
      byte[] body = AuditProofs.get(server, "/v1/audit/checkpoint");
      SignedNote note = SignedNote.parse(body);
      if (logKey != null) {
        LogVerification result =
            LogTrust.of(VerifierKey.parse(AuditProofs.readArg(logKey).strip())).verifyCheckpoint(note);
        if (!result.isValid()) {
          return AuditProofs.report(cmd, result);
        }
      }
      if (out != null) {
        Files.write(out, body, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      }
      cmd.getOut().print(new String(body, StandardCharsets.UTF_8));
      cmd.getOut().flush();
      return 0;
    } catch (LogFormatException e) {
      return AuditProofs.fail(cmd, "checkpoint", "server answered a malformed checkpoint: " + e.getMessage());
    } catch (IOException e) {
      return AuditProofs.fail(cmd, "checkpoint", IdCommand.explain(e));
    }
  }
}
