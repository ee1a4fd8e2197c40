package dev.handshake.server.cli;

import dev.handshake.audit.AuditEvent;
import dev.handshake.audit.ChainHead;
import dev.handshake.audit.archive.PqzWriter;
import dev.handshake.identity.IdentityDocument;
import dev.handshake.identity.Passphrase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code handshake audit archive --key KEYFILE --out FILE.pqz}: writes the agent's chain as a
 * {@code .pqz} archive (aiss.md §2.7, §3 item 10) in the reference's layout, plus {@code
 * identity.json} and a signed head ({@code chain-head.json}) covering every archived event: the
 * stored head when it is current, else one signed now (the only case that needs the key's
 * passphrase). Events stamped after the head was read are left for the next archive.
 *
 * <p>{@code --encrypt-passphrase-env VAR} seals the events in {@code data.enc} with the reference's
 * PBKDF2-HMAC-SHA256 (100,000 iterations) + AES-256-GCM, so the reference's readers can decrypt it;
 * that KDF is weak, so a short passphrase draws a warning. The same chain and head give the same
 * bytes for a plain archive. {@code --out} is never replaced unless {@code --force}. Exit 0, or 2.
 */
@Command(
    name = "archive",
    mixinStandardHelpOptions = true,
    description = "Write the agent's chain as a .pqz archive with its identity and signed head.")
final class AuditArchiveCommand implements Callable<Integer> {
  /** Below this length the reference's own README calls a passphrase weak. */
  static final int WEAK_PASSPHRASE_LENGTH = 20;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin AuditAgentOptions agent;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "File to write.")
  Path out;

  @Option(names = "--force", description = "Replace --out if it exists.")
  boolean force;

  @Option(
      names = "--encrypt-passphrase-env",
      paramLabel = "VAR",
      description =
          "Encrypt the events (data.enc, the reference's PBKDF2 + AES-256-GCM) with the"
              + " passphrase in environment variable VAR.")
  @Nullable String encryptPassphraseEnv;

  @Option(
      names = "--label",
      paramLabel = "TEXT",
      description = "metadata.json label (default: archive-YYYYMMDD of the head's date).")
  @Nullable String label;

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    Passphrase archivePassphrase = null;
    boolean weak = false;
    try {
      if (!force && Files.exists(out)) {
        throw new FileAlreadyExistsException(out.toString());
      }
      if (encryptPassphraseEnv != null) {
        // Before the key is read: a missing variable should not cost a key passphrase prompt.
        archivePassphrase =
            PassphraseOptions.fromVariable(cmd, encryptPassphraseEnv, "--encrypt-passphrase-env");
        String value =
            Objects.requireNonNull(
                CommandEnvironment.of(cmd).variables().apply(encryptPassphraseEnv));
        weak = value.codePointCount(0, value.length()) < WEAK_PASSPHRASE_LENGTH;
      }
      AuditAgentOptions.ChainSnapshot chain = agent.snapshot(cmd, true);
      ChainHead head = chain.head().orElseThrow();
      if (head.eventCount() > chain.events().size()) {
        throw new AuditCommand.UnusableInputException(
            "the stored head covers "
                + head.eventCount()
                + " events but the store holds "
                + chain.events().size()
                + " (damaged store?)");
      }
      // The head was read first; events appended since then belong to the next archive.
      List<AuditEvent> events = chain.events().subList(0, (int) head.eventCount());
      IdentityDocument identity =
          events.isEmpty()
              ? IdentityDocument.of(
                  chain.identity().publicKey(), head.timestamp(), Optional.empty())
              : chain.identity();
      byte[] bytes;
      try {
        bytes =
            archivePassphrase == null
                ? PqzWriter.plain(identity, events, head, Optional.ofNullable(label))
                : PqzWriter.encrypted(
                    identity,
                    events,
                    head,
                    Optional.ofNullable(label),
                    archivePassphrase,
                    CommandEnvironment.of(cmd).random());
      } catch (IllegalArgumentException e) {
        // The stored head does not match the stored chain: nothing a flag can fix.
        throw new AuditCommand.UnusableInputException("cannot archive: " + e.getMessage());
      }
      AuditCommand.write(out, bytes, force);
      if (weak) {
        cmd.getErr()
            .println(
                "warning: the archive passphrase is shorter than "
                    + WEAK_PASSPHRASE_LENGTH
                    + " characters; the reference's PBKDF2 (100,000 iterations) makes short"
                    + " passphrases cheap to guess");
        cmd.getErr().flush();
      }
      cmd.getOut()
          .println(
              "wrote "
                  + out
                  + ": "
                  + events.size()
                  + " events of "
                  + identity.agentId()
                  + (archivePassphrase == null ? ", plain" : ", encrypted (data.enc)")
                  + ", signed head at event "
                  + head.eventCount());
      cmd.getOut().flush();
      return 0;
    } catch (AuditCommand.UnusableInputException e) {
      return AuditCommand.unusable(cmd, "archive", e.getMessage());
    } catch (IOException e) {
      return AuditCommand.unusable(cmd, "archive", AuditCommand.explain(e));
    } catch (UncheckedIOException e) {
      return AuditCommand.unusable(cmd, "archive", e.getCause().getMessage());
    } finally {
      if (archivePassphrase != null) {
        archivePassphrase.wipe();
      }
      agent.wipe();
    }
  }
}
