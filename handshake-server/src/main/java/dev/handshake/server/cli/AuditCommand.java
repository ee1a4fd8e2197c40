package dev.handshake.server.cli;

import dev.handshake.audit.AuditStore;
import dev.handshake.server.SharedState;
import dev.handshake.store.sqlite.SqliteAuditStore;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code handshake audit}: AISS signed event chains from the command line (aiss.md §2.7,
 * docs/AUDIT.md): {@code stamp} events onto an agent's chain, {@code export} it as an {@code
 * AISS-1.0-AUDIT} file, {@code verify} and {@code import} exports, print the signed {@code head},
 * anchor an event with an RFC 3161 TSA ({@code timestamp}); write and verify {@code .pqz} archives
 * ({@code archive}, {@code verify-archive}); {@code certify} an export as a CA and {@code verify-cert}
 * a certification bundle.
 *
 * <p>Exit codes of every verb: 0 success; 1 a chain that does not verify or an import refused for
 * its content (replayed nonce, conflicting chain); 2 input that cannot be used (malformed file,
 * payload outside the signable subset, key file or passphrase, I/O) and usage errors.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    subcommands = {
      AuditStampCommand.class,
      AuditExportCommand.class,
      AuditVerifyCommand.class,
      AuditArchiveCommand.class,
      AuditVerifyArchiveCommand.class,
      AuditImportCommand.class,
      AuditHeadCommand.class,
      AuditCertifyCommand.class,
      AuditVerifyCertCommand.class,
      AuditCheckpointCommand.class,
      AuditProveCommand.class,
      AuditVerifyProofCommand.class,
      AuditTimestampCommand.class
    },
    description =
        "Stamp, export, archive, verify and import signed AISS event chains; certify exports and"
            + " verify certification bundles; fetch and verify transparency-log checkpoints and proofs;"
            + " anchor events with an RFC 3161 TSA.")
final class AuditCommand implements Runnable {
  /** Exit code when a chain does not verify or an import is refused for what it contains. */
  static final int EXIT_REFUSED = 1;

  /** Exit code when input, a key file or a file system operation cannot be used. */
  static final int EXIT_UNUSABLE = 2;

  /** The default {@code --data}: the folder {@code handshake serve} also keeps its data in. */
  static final String DEFAULT_DATA = "handshake-data";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Input a verb cannot work with; its message is what the user reads (exit 2). */
  static final class UnusableInputException extends Exception {
    UnusableInputException(String message) {
      super(message);
    }
  }

  /** Prints {@code message} as a failure of {@code verb} and returns {@code exit}. */
  static int fail(CommandLine cmd, String verb, String message, int exit) {
    cmd.getErr().println("audit " + verb + ": " + message);
    cmd.getErr().flush();
    return exit;
  }

  /** Prints why {@code verb} could not run and returns {@link #EXIT_UNUSABLE}. */
  static int unusable(CommandLine cmd, String verb, String message) {
    return fail(cmd, verb, message, EXIT_UNUSABLE);
  }

  /**
   * The chain store: PostgreSQL when {@code shared} has one ({@code --db}), else the SQLite file in
   * {@code data}. With {@code mustExist}, a folder without {@code audit.db} is refused instead of
   * silently creating an empty store (a mistyped {@code --data} would otherwise export an empty
   * chain).
   */
  static AuditStore openStore(SharedState shared, Path data, boolean mustExist)
      throws IOException, UnusableInputException {
    if (shared.sharedAudit()) {
      return shared.auditStore(data);
    }
    if (mustExist && !Files.isRegularFile(data.resolve(SqliteAuditStore.FILE_NAME))) {
      throw new UnusableInputException(
          "no audit store in "
              + data
              + " ("
              + SqliteAuditStore.FILE_NAME
              + " is missing; stamp or import events first, or pass --data DIR)");
    }
    return SqliteAuditStore.open(data);
  }

  /**
   * Writes {@code bytes} to {@code out}: never over an existing file unless {@code force}, and then
   * by an atomic replace, so a reader sees the old file or the new one, never half of it.
   */
  static void write(Path out, byte[] bytes, boolean force) throws IOException {
    if (!force) {
      if (Files.exists(out)) {
        throw new FileAlreadyExistsException(out.toString());
      }
      Files.write(out, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      return;
    }
    // Not Files.createTempFile: that makes the file owner-only, and exports are public material.
    Path temp = out.resolveSibling("." + out.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      Files.write(temp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      Files.move(temp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** {@link IdCommand#explain}, plus the hint that {@code --force} replaces an output file. */
  static String explain(IOException e) {
    String message = IdCommand.explain(e);
    return e instanceof FileAlreadyExistsException ? message + " (--force replaces it)" : message;
  }
}
