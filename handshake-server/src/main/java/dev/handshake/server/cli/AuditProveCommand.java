package dev.handshake.server.cli;

import dev.handshake.audit.log.LogFormatException;
import dev.handshake.audit.log.LogTrust;
import dev.handshake.audit.log.LogVerification;
import dev.handshake.audit.log.ProofBundle;
import dev.handshake.audit.log.VerifierKey;
import dev.handshake.crypto.Base64Text;
import dev.handshake.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code handshake audit prove}: fetches an inclusion proof bundle for one log entry (by index or
 * by AISS event hash) from a server's read-only audit endpoints and saves it, with the entry
 * beside it ({@code FILE.entry}), for offline checking with {@code audit verify-proof}. With
 * {@code --log-key} the bundle is verified before it is written.
 */
@Command(
    name = "prove",
    mixinStandardHelpOptions = true,
    description = "Fetch an offline inclusion proof bundle from a server.")
final class AuditProveCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--server", defaultValue = "http://127.0.0.1:8080", description = "Server base URL (default: ${DEFAULT-VALUE}).")
  String server;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  static final class Target {
    @Option(names = "--index", paramLabel = "N", description = "Log entry index.")
    Long index;

    @Option(names = "--event", paramLabel = "HASH", description = "AISS event hash (64 hex).")
    String event;
  }

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the bundle (FILE.entry gets the entry).")
  Path out;

  @Option(names = "--log-key", paramLabel = "KEY", description = "Verify against this log key (or @FILE) before writing.")
  String logKey;

  /** The exact entry bytes from the server's {@code /v1/audit/entries/N} JSON answer. */
  private static byte[] entryBytes(byte[] answer) throws IOException {
    return Json.tryParse(answer)
        .map(node -> node.path("entry_base64").stringValue(""))
        .flatMap(Base64Text::decodeStrict)
        .orElseThrow(() -> new IOException("server answered an entry without entry_base64"));
  }

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    try {
      if (target.event != null && !target.event.matches("[0-9a-f]{64}")) {
        return AuditProofs.fail(cmd, "prove", "--event must be 64 lowercase hex characters");
      }
      if (target.index != null && target.index < 0) {
        return AuditProofs.fail(cmd, "prove", "--index must not be negative");
      }
      String path =
          target.index != null
              ? "/v1/audit/proof/inclusion?index=" + target.index
              : "/v1/audit/proof/event/" + target.event;
      String bundleText = new String(AuditProofs.get(server, path), StandardCharsets.UTF_8);
      ProofBundle bundle = ProofBundle.parse(bundleText);
      byte[] entry = entryBytes(AuditProofs.get(server, "/v1/audit/entries/" + bundle.index()));
      if (logKey != null) {
        LogVerification result =
            bundle.verify(entry, LogTrust.of(VerifierKey.parse(AuditProofs.readArg(logKey).strip())));
        if (!result.isValid()) {
          return AuditProofs.report(cmd, result);
        }
      }
      Path entryFile = out.resolveSibling(out.getFileName() + ".entry");
      if (Files.exists(out) || Files.exists(entryFile)) {
        throw new FileAlreadyExistsException(Files.exists(out) ? out.toString() : entryFile.toString());
      }
      Files.writeString(out, bundleText, StandardCharsets.UTF_8);
      Files.write(entryFile, entry);
      cmd.getOut().println("wrote " + out + " (index " + bundle.index() + ") and " + entryFile);
      cmd.getOut().flush();
      return 0;
    } catch (LogFormatException e) {
      return AuditProofs.fail(cmd, "prove", "server answered a malformed bundle: " + e.getMessage());
    } catch (IOException e) {
      return AuditProofs.fail(cmd, "prove", IdCommand.explain(e));
    }
  }
}
