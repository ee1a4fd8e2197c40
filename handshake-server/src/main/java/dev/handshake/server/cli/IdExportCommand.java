package dev.handshake.server.cli;

import dev.handshake.identity.AgentIds;
import dev.handshake.identity.IdentityDocument;
import dev.handshake.identity.KeyFileSummary;
import dev.handshake.identity.KeyFiles;
import dev.handshake.identity.KeyProtection;
import dev.handshake.identity.LoadedKey;
import dev.handshake.identity.Passphrase;
import dev.handshake.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code handshake id export KEYFILE --format F --out FILE}: writes the identity in another form.
 *
 * <ul>
 *   <li>{@code identity} — the AISS {@code identity.json} (aiss.md §2.1), no passphrase needed for
 *       our format;
 *   <li>{@code public-pem} — the SPKI PEM of the public key;
 *   <li>{@code pqky} — the reference's 97-byte {@code private.key.enc}, encrypted with {@code
 *       --new-passphrase-env} or else the key file's own passphrase;
 *   <li>{@code plaintext} — the reference's {@code private.key.json}, only with {@code
 *       --i-understand-plaintext}.
 * </ul>
 *
 * Never overwrites {@code --out}; key files are owner-only. Exit 0, or 2.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description =
        "Export an identity as identity.json, public PEM, PQKY or (explicitly) plaintext.")
final class IdExportCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "KEYFILE",
      description = "Key file in any supported format.")
  Path file;

  @Option(
      names = "--format",
      required = true,
      paramLabel = "FORMAT",
      description = "identity, public-pem, pqky or plaintext.")
  String format;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "File to create.")
  Path out;

  @Option(
      names = "--new-passphrase-env",
      paramLabel = "VAR",
      description =
          "pqky: encrypt with the passphrase in VAR (default: the key file's passphrase).")
  @Nullable String newPassphraseEnv;

  @Option(
      names = "--i-understand-plaintext",
      description = "plaintext: yes, write the private key unencrypted.")
  boolean plaintextConfirmed;

  @Mixin PassphraseOptions passphrase;

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    if (!format.equals("identity")
        && !format.equals("public-pem")
        && !format.equals("pqky")
        && !format.equals("plaintext")) {
      throw new CommandLine.ParameterException(
          cmd, "--format must be identity, public-pem, pqky or plaintext, not " + format);
    }
    if (format.equals("plaintext") && !plaintextConfirmed) {
      return IdCommand.fail(
          cmd,
          "export",
          "refusing to write an unencrypted private key; add --i-understand-plaintext if you must");
    }
    @Nullable Passphrase fresh = null;
    try {
      if (Files.exists(out)) {
        throw new FileAlreadyExistsException(out.toString());
      }
      switch (format) {
        case "identity" -> writePublic(identityJson(cmd));
        case "public-pem" -> writePublic(AgentIds.pem(summary(cmd).publicKey()));
        case "pqky" -> {
          LoadedKey loaded =
              KeyFiles.load(file, passphrase.source(cmd), passphrase.pqkyScryptN(cmd));
          fresh =
              newPassphraseEnv == null
                  ? null
                  : PassphraseOptions.fromVariable(cmd, newPassphraseEnv, "--new-passphrase-env");
          KeyProtection protection = passphrase.pqkyProtection(cmd);
          KeyFiles.exportPqky(
              out,
              loaded.key(),
              fresh != null ? fresh : passphrase.forNewFile(cmd, out),
              protection);
          if (protection.scryptN() != KeyProtection.DEFAULT_N) {
            cmd.getErr()
                .println(
                    "note: written with scrypt N="
                        + protection.scryptN()
                        + "; PiQrypt reads it with "
                        + PassphraseOptions.PQKY_N_VARIABLE
                        + "="
                        + protection.scryptN());
          }
        }
        default -> {
          LoadedKey loaded =
              KeyFiles.load(file, passphrase.source(cmd), passphrase.pqkyScryptN(cmd));
          KeyFiles.exportPlaintext(out, loaded.key());
          cmd.getErr()
              .println(
                  "warning: "
                      + out
                      + " holds the private key UNENCRYPTED; delete it once it is imported");
        }
      }
      cmd.getOut().println("wrote " + out + " (" + format + ")");
      cmd.getOut().flush();
      return 0;
    } catch (IOException e) {
      return IdCommand.fail(cmd, "export", e);
    } finally {
      passphrase.wipe();
      if (fresh != null) {
        fresh.wipe();
      }
      cmd.getErr().flush();
    }
  }

  private KeyFileSummary summary(CommandLine cmd) throws IOException {
    KeyFileSummary summary =
        KeyFiles.describe(file, passphrase.source(cmd), passphrase.pqkyScryptN(cmd));
    IdCommand.warnIfPlaintext(cmd.getErr(), file, summary.format());
    return summary;
  }

  private String identityJson(CommandLine cmd) throws IOException {
    long now = CommandEnvironment.of(cmd).clock().instant().getEpochSecond();
    return Json.pretty(
        IdentityDocument.of(summary(cmd).publicKey(), now, Optional.empty()).toJson());
  }

  /** Public material: ordinary permissions, but still never over an existing file. */
  private void writePublic(String text) throws IOException {
    Files.writeString(
        out, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }
}
