package dev.handshake.server.cli;

import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.identity.KeyFiles;
import dev.handshake.identity.KeyFormat;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code handshake id new --out KEYFILE}: generates an Ed25519 identity, writes it encrypted
 * (owner-only, never over an existing file) and prints its ids. Exit 0, or 2 when the file exists
 * or no passphrase is available.
 */
@Command(
    name = "new",
    mixinStandardHelpOptions = true,
    description = "Generate an identity and write it to an encrypted key file.")
final class IdNewCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "KEYFILE",
      description = "Key file to create.")
  Path out;

  @Option(
      names = "--label",
      paramLabel = "TEXT",
      description = "A name stored with the key (not secret).")
  @Nullable String label;

  @Option(names = "--json", description = "Print the ids as JSON.")
  boolean json;

  @Mixin PassphraseOptions passphrase;

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    try {
      if (Files.exists(out)) {
        throw new FileAlreadyExistsException(out.toString());
      }
      Ed25519PrivateKey key = Ed25519PrivateKey.generate(CommandEnvironment.of(cmd).random());
      KeyFiles.save(
          out,
          key,
          passphrase.forNewFile(cmd, out),
          passphrase.protection(cmd),
          Optional.ofNullable(label));
      new IdentityReport(
              out, KeyFormat.HANDSHAKE_ENCRYPTED, key.publicKey(), Optional.ofNullable(label))
          .print(cmd.getOut(), json);
      return 0;
    } catch (IOException e) {
      return IdCommand.fail(cmd, "new", e);
    } finally {
      passphrase.wipe();
    }
  }
}
