package dev.handshake.server.cli;

import dev.handshake.identity.KeyFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code handshake id}: agent identities and their key files (docs/IDENTITY.md). Keys are written
 * encrypted (scrypt and AES-256-GCM, aiss.md §3 item 13); plaintext only on explicit request.
 */
@Command(
    name = "id",
    mixinStandardHelpOptions = true,
    subcommands = {
      IdNewCommand.class,
      IdShowCommand.class,
      IdExportCommand.class,
      IdImportCommand.class
    },
    description = "Create, show, export and import agent identities (encrypted key files).")
final class IdCommand implements Runnable {
  /** Exit code when a key file or passphrase cannot be used, or a file cannot be written. */
  static final int EXIT_KEY = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Tells the user that {@code file} holds an unencrypted key and how to fix that. */
  static void warnIfPlaintext(PrintWriter err, Path file, KeyFormat format) {
    if (!format.encrypted()) {
      err.println(
          "warning: "
              + file
              + " holds an UNENCRYPTED private key ("
              + format.id()
              + "); encrypt it with 'handshake id import "
              + file
              + " --out NEW.key' and delete it");
      err.flush();
    }
  }

  /** Prints why {@code verb} failed and returns {@link #EXIT_KEY}. */
  static int fail(CommandLine cmd, String verb, IOException e) {
    return fail(cmd, verb, explain(e));
  }

  /** Prints {@code message} as a failure of {@code verb} and returns {@link #EXIT_KEY}. */
  static int fail(CommandLine cmd, String verb, String message) {
    cmd.getErr().println("id " + verb + ": " + message);
    cmd.getErr().flush();
    return EXIT_KEY;
  }

  /** A message for {@code e} that names the problem, not just the file. */
  static String explain(IOException e) {
    return switch (e) {
      case NoSuchFileException n -> "no such file: " + n.getFile();
      case FileAlreadyExistsException x -> x.getFile() + " exists; refusing to overwrite it";
      case AccessDeniedException a -> "permission denied: " + a.getFile();
      default -> String.valueOf(e.getMessage());
    };
  }
}
