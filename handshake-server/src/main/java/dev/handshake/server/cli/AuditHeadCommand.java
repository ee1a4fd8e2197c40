package dev.handshake.server.cli;

import dev.handshake.audit.AuditStore;
import dev.handshake.audit.ChainHead;
import dev.handshake.crypto.Ed25519PublicKey;
import dev.handshake.json.Json;
import dev.handshake.server.SharedState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code handshake audit head --key KEYFILE}: prints (or writes to {@code --out}) the agent's
 * signed head covering every stored event (aiss.md §3 item 6a), signing a fresh one when the stored
 * head is missing or older than the chain. Handed to a verifier ({@code audit verify --head}), it
 * makes a later truncated copy of the chain detectable. Exit 0, or 2.
 */
@Command(
    name = "head",
    mixinStandardHelpOptions = true,
    description = "Print or write the agent's current signed chain head.")
final class AuditHeadCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin AuditAgentOptions agent;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Write the head to FILE instead of printing it.")
  @Nullable Path out;

  @Option(names = "--force", description = "Replace --out if it exists.")
  boolean force;

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    try {
      if (out != null && !force && Files.exists(out)) {
        throw new FileAlreadyExistsException(out.toString());
      }
      Ed25519PublicKey publicKey = agent.publicKey(cmd);
      ChainHead head;
      try (SharedState shared = agent.db.open();
          AuditStore store = AuditCommand.openStore(shared, agent.data, true)) {
        head = agent.currentHead(cmd, publicKey, store);
      }
      String text = Json.pretty(head.toJson());
      if (out == null) {
        cmd.getOut().print(text);
      } else {
        AuditCommand.write(out, text.getBytes(StandardCharsets.UTF_8), force);
        cmd.getOut()
            .println(
                "wrote "
                    + out
                    + ": head of "
                    + head.agentId()
                    + " at "
                    + head.eventCount()
                    + " events");
      }
      cmd.getOut().flush();
      return 0;
    } catch (AuditCommand.UnusableInputException e) {
      return AuditCommand.unusable(cmd, "head", e.getMessage());
    } catch (IOException e) {
      return AuditCommand.unusable(cmd, "head", AuditCommand.explain(e));
    } catch (UncheckedIOException e) {
      return AuditCommand.unusable(cmd, "head", e.getCause().getMessage());
    } finally {
      agent.wipe();
    }
  }
}
