package dev.handshake.server.cli;

import dev.handshake.identity.KeyProtection;
import dev.handshake.identity.Passphrase;
import dev.handshake.identity.PassphraseSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The passphrase flags of every command that reads or writes a key file ({@code id *}, {@code relay
 * --key/--key-out}, {@code serve --relay-key}), as a picocli mixin.
 *
 * <p>The passphrase comes from {@code --passphrase-env VAR} (an unset or empty variable is an
 * error), else from the terminal (asked twice for a new file), else the command fails with "no
 * passphrase: pass --passphrase-env VAR or run on a terminal". It is obtained at most once per run,
 * only when a file needs it, and wiped by {@link #wipe()}. It is never a command-line argument,
 * where other users could read it.
 *
 * <p>The hidden {@code --scrypt-n N} sets scrypt N for the files a run writes and the PQKY files it
 * reads; it exists so that tests need not pay for the default 2^17 (docs/IDENTITY.md).
 */
final class PassphraseOptions {
  /** The reference's variable for the scrypt N of PQKY files (aiss.md §2.1). */
  static final String PQKY_N_VARIABLE = "PIQRYPT_SCRYPT_N";

  static final String NO_PASSPHRASE =
      "no passphrase: pass --passphrase-env VAR or run on a terminal";

  @Option(
      names = "--passphrase-env",
      paramLabel = "VAR",
      description =
          "Read the key passphrase from environment variable VAR (default: ask on the terminal).")
  @Nullable String passphraseEnv;

  @Option(
      names = "--scrypt-n",
      hidden = true,
      paramLabel = "N",
      description = "Tests only: scrypt N for files written and PQKY files read (default 131072).")
  @Nullable Integer scryptN;

  private @Nullable Passphrase passphrase;

  /** Asks for the passphrase of an existing file only when a format needs one. */
  PassphraseSource source(CommandLine cmd) {
    return (file, format) -> existing(cmd, file);
  }

  /** The passphrase of an existing file {@code file}. */
  Passphrase existing(CommandLine cmd, Path file) throws IOException {
    if (passphrase == null) {
      passphrase = obtain(cmd, "Passphrase for " + file + ": ", false);
    }
    return passphrase;
  }

  /**
   * The passphrase to encrypt the new file {@code file}: the one already given in this run (the
   * source file's), else from {@code --passphrase-env}, else asked twice.
   */
  Passphrase forNewFile(CommandLine cmd, Path file) throws IOException {
    if (passphrase == null) {
      passphrase = obtain(cmd, "New passphrase for " + file + ": ", true);
    }
    return passphrase;
  }

  /** Our format's protection: scrypt N 2^17 unless the hidden {@code --scrypt-n} says otherwise. */
  KeyProtection protection(CommandLine cmd) {
    KeyProtection defaults =
        KeyProtection.defaults().withRandom(CommandEnvironment.of(cmd).random());
    return scryptN == null ? defaults : withN(cmd, defaults, scryptN, "--scrypt-n");
  }

  /**
   * Protection for a PQKY file: N from {@code --scrypt-n}, else {@code PIQRYPT_SCRYPT_N}, else
   * 2^17.
   */
  KeyProtection pqkyProtection(CommandLine cmd) throws IOException {
    return protection(cmd).withScryptN(pqkyScryptN(cmd));
  }

  /**
   * The scrypt N of PQKY files (which do not record it): {@code --scrypt-n}, else {@code
   * PIQRYPT_SCRYPT_N}, else 2^17.
   */
  int pqkyScryptN(CommandLine cmd) throws IOException {
    if (scryptN != null) {
      withN(cmd, protection(cmd), scryptN, "--scrypt-n");
      return scryptN;
    }
    String value = CommandEnvironment.of(cmd).variables().apply(PQKY_N_VARIABLE);
    if (value == null || value.isBlank()) {
      return KeyProtection.DEFAULT_N;
    }
    try {
      int n = Integer.parseInt(value.strip());
      KeyProtection.defaults().withScryptN(n);
      return n;
    } catch (IllegalArgumentException e) {
      throw new IOException(PQKY_N_VARIABLE + "=" + value + " is not usable: " + e.getMessage());
    }
  }

  /** Overwrites the passphrase obtained in this run, if any. */
  void wipe() {
    if (passphrase != null) {
      passphrase.wipe();
      passphrase = null;
    }
  }

  /**
   * The passphrase in environment variable {@code variable}, named by {@code option}.
   *
   * @throws IOException when the variable is unset or empty
   */
  static Passphrase fromVariable(CommandLine cmd, String variable, String option)
      throws IOException {
    String value = CommandEnvironment.of(cmd).variables().apply(variable);
    if (value == null) {
      throw new IOException(
          "no passphrase: environment variable " + variable + " (" + option + ") is not set");
    }
    if (value.isEmpty()) {
      throw new IOException(
          "no passphrase: environment variable " + variable + " (" + option + ") is empty");
    }
    return Passphrase.copyOf(value);
  }

  /**
   * A passphrase that is not a key file's (an archive's, say): from environment variable {@code
   * variable} when one is named by {@code option}, else asked once on the terminal.
   *
   * @throws IOException when the variable is unset or empty, or there is no terminal
   */
  static Passphrase fromVariableOrTerminal(
      CommandLine cmd, @Nullable String variable, String option, String prompt)
      throws IOException {
    if (variable != null) {
      return fromVariable(cmd, variable, option);
    }
    Optional<char[]> typed = CommandEnvironment.of(cmd).terminal().read(prompt);
    if (typed.isEmpty()) {
      throw new IOException("no passphrase: pass " + option + " VAR or run on a terminal");
    }
    return Passphrase.wrap(typed.get());
  }

  private Passphrase obtain(CommandLine cmd, String prompt, boolean confirm) throws IOException {
    if (passphraseEnv != null) {
      return fromVariable(cmd, passphraseEnv, "--passphrase-env");
    }
    SecretPrompt terminal = CommandEnvironment.of(cmd).terminal();
    Passphrase first = ask(terminal, prompt);
    if (first.isEmpty()) {
      first.wipe();
      throw new IOException("empty passphrase: a key file needs one");
    }
    if (!confirm) {
      return first;
    }
    try (Passphrase again = ask(terminal, "Repeat the passphrase: ")) {
      if (!first.sameAs(again)) {
        first.wipe();
        throw new IOException("the two passphrases differ; nothing was written");
      }
    }
    return first;
  }

  private static Passphrase ask(SecretPrompt terminal, String prompt) throws IOException {
    Optional<char[]> typed = terminal.read(prompt);
    if (typed.isEmpty()) {
      throw new IOException(NO_PASSPHRASE);
    }
    return Passphrase.wrap(typed.get());
  }

  private static KeyProtection withN(CommandLine cmd, KeyProtection base, int n, String option) {
    try {
      return base.withScryptN(n);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cmd, option + ": " + e.getMessage());
    }
  }
}
