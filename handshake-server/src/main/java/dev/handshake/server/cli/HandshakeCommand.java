package dev.handshake.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code handshake} command: {@code serve}, {@code relay}, {@code id}, {@code audit}, {@code
 * delegate} and {@code --version}; later issues add verbs. It carries the {@link CommandEnvironment}
 * (environment variables, terminal, clock, randomness) that its subcommands use, so tests can
 * supply their own.
 */
@Command(
    name = "handshake",
    mixinStandardHelpOptions = true,
    versionProvider = HandshakeCommand.Version.class,
    subcommands = {
      ServeCommand.class,
      RelayCommand.class,
      IdCommand.class,
      AuditCommand.class,
      DelegateCommand.class,
      PairCommand.class,
      DevicesCommand.class,
      OperatorCommand.class
    },
    modelTransformer = HandshakeCommand.NoArgumentFiles.class,
    description = "Safe agent access: sessions, pairing, relay, audit and delegation.")
public final class HandshakeCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final CommandEnvironment environment;

  /** The command in the real environment. */
  public HandshakeCommand() {
    this(CommandEnvironment.system());
  }

  HandshakeCommand(CommandEnvironment environment) {
    this.environment = environment;
  }

  CommandEnvironment environment() {
    return environment;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new HandshakeCommand()).execute(args));
  }

  /**
   * Turns off picocli's {@code @FILE} argument files for every verb: {@code audit stamp
   * --payload @FILE} reads its payload file itself, and an argument that merely starts with "@" (a
   * relay message body) must never pull a local file into the command line.
   */
  static final class NoArgumentFiles implements CommandLine.IModelTransformer {
    @Override
    public CommandLine.Model.CommandSpec transform(CommandLine.Model.CommandSpec command) {
      command.parser().expandAtFiles(false);
      return command;
    }
  }

  /** Reads the version Maven wrote into the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = HandshakeCommand.class.getResourceAsStream("/handshake-version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {"handshake " + p.getProperty("version", "unknown")};
    }
  }
}
