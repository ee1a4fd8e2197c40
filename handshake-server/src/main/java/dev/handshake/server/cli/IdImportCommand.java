package dev.handshake.server.cli;

import dev.handshake.identity.KeyFiles;
import dev.handshake.identity.KeyFormat;
import dev.handshake.identity.LoadedKey;
import dev.handshake.identity.Passphrase;
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
import picocli.CommandLine.Parameters;

/**
 * {@code handshake id import FILE --out KEYFILE}: reads a key in any format (the reference's PQKY
 * or plaintext {@code private.key.json}, our earlier plaintext format, a hex seed, or ours) and
 * writes it in our encrypted format. A PQKY source's passphrase is reused unless {@code
 * --new-passphrase-env} names another; a plaintext source gets a new one and a warning to delete it
 * (aiss.md §3 item 13). Exit 0, or 2.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = "Re-encrypt a PiQrypt or plaintext key file into an encrypted key file.")
final class IdImportCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "Key file to import.")
  Path file;

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

  @Option(
      names = "--new-passphrase-env",
      paramLabel = "VAR",
      description =
          "Encrypt with the passphrase in VAR (default: the source's, or --passphrase-env).")
  @Nullable String newPassphraseEnv;

  @Option(names = "--json", description = "Print the ids as JSON.")
  boolean json;

  @Mixin PassphraseOptions passphrase;

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    @Nullable Passphrase fresh = null;
    try {
      if (Files.exists(out)) {
        throw new FileAlreadyExistsException(out.toString());
      }
      LoadedKey loaded = KeyFiles.load(file, passphrase.source(cmd), passphrase.pqkyScryptN(cmd));
      if (newPassphraseEnv != null) {
        fresh = PassphraseOptions.fromVariable(cmd, newPassphraseEnv, "--new-passphrase-env");
      }
      KeyFiles.save(
          out,
          loaded.key(),
          fresh != null ? fresh : passphrase.forNewFile(cmd, out),
          passphrase.protection(cmd),
          Optional.ofNullable(label));
      if (loaded.plaintext()) {
        cmd.getErr()
            .println(
                "warning: "
                    + file
                    + " held the private key UNENCRYPTED ("
                    + loaded.format().id()
                    + "); "
                    + out
                    + " is encrypted now; delete "
                    + file);
        cmd.getErr().flush();
      }
      new IdentityReport(
              out,
              KeyFormat.HANDSHAKE_ENCRYPTED,
              loaded.key().publicKey(),
              Optional.ofNullable(label))
          .print(cmd.getOut(), json);
      return 0;
    } catch (IOException e) {
      return IdCommand.fail(cmd, "import", e);
    } finally {
      passphrase.wipe();
      if (fresh != null) {
        fresh.wipe();
      }
    }
  }
}
