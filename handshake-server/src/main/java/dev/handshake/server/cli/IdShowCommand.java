package dev.handshake.server.cli;

import dev.handshake.identity.KeyFileSummary;
import dev.handshake.identity.KeyFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code handshake id show KEYFILE}: prints the ids of the key in any format {@link KeyFiles}
 * reads. Our format states its public key in clear, so no passphrase is asked for; a PQKY file must
 * be decrypted. Warns (stderr) when the file is plaintext. Exit 0, or 2.
 */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = "Print the ids of a key file (passphrase only for formats that need it).")
final class IdShowCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "KEYFILE",
      description = "Key file in any supported format.")
  Path file;

  @Option(names = "--json", description = "Print the ids as JSON.")
  boolean json;

  @Mixin PassphraseOptions passphrase;

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    try {
      KeyFileSummary summary =
          KeyFiles.describe(file, passphrase.source(cmd), passphrase.pqkyScryptN(cmd));
      IdCommand.warnIfPlaintext(cmd.getErr(), file, summary.format());
      new IdentityReport(file, summary.format(), summary.publicKey(), summary.label())
          .print(cmd.getOut(), json);
      return 0;
    } catch (IOException e) {
      return IdCommand.fail(cmd, "show", e);
    } finally {
      passphrase.wipe();
    }
  }
}
