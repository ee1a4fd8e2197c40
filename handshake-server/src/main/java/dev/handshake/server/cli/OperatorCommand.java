package dev.handshake.server.cli;

import dev.handshake.crypto.BearerSecret;
import dev.handshake.pairing.auth.OperatorTokens;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code handshake operator}: the operator tokens that guard the admin APIs (pairing.md §3.2 rule
 * 8). {@code init} creates the admin token ({@code <data>/operator.token}) before a first start
 * beyond loopback; {@code rotate} replaces it; {@code add-token} makes a scoped token and prints it
 * once (only its SHA-256 is kept); {@code remove-token} deletes one; {@code list} shows names and
 * scopes. A running server re-reads the files within a second of a change.
 */
@Command(
    name = "operator",
    mixinStandardHelpOptions = true,
    subcommands = {
      OperatorCommand.Init.class,
      OperatorCommand.Rotate.class,
      OperatorCommand.AddToken.class,
      OperatorCommand.RemoveToken.class,
      OperatorCommand.ListTokens.class
    },
    description = "Create, list and remove operator tokens for the admin APIs.")
final class OperatorCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  abstract static class Verb implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", defaultValue = "${env:HANDSHAKE_DATA:-handshake-data}",
        description = "The server's data folder (default ${DEFAULT-VALUE}).")
    String dataDir;

    @Override
    public final Integer call() {
      CommandLine cmd = spec.commandLine();
      try {
        return run(Path.of(dataDir), cmd);
      } catch (IOException | IllegalArgumentException e) {
        cmd.getErr().println("operator " + spec.name() + ": " + e.getMessage());
        cmd.getErr().flush();
        return 2;
      }
    }

    abstract int run(Path data, CommandLine cmd) throws IOException;
  }

  @Command(name = "init", mixinStandardHelpOptions = true,
      description = "Create the admin token file (0600) if it does not exist; prints where it is.")
  static final class Init extends Verb {
    @Override
    int run(Path data, CommandLine cmd) throws IOException {
      OperatorTokens.forLoopback(data, Optional.empty(), CommandEnvironment.of(cmd).random());
      cmd.getOut().println("The admin operator token is in " + data.resolve(OperatorTokens.DEFAULT_FILE)
          + " (owner-only). Send it as: Authorization: Bearer <token>");
      cmd.getOut().flush();
      return 0;
    }
  }

  @Command(name = "rotate", mixinStandardHelpOptions = true,
      description = "Replace the admin token with a fresh one and print it once; a running server switches within a second and closes operator sockets opened with the old one (4001).")
  static final class Rotate extends Verb {
    @Override
    int run(Path data, CommandLine cmd) throws IOException {
      BearerSecret token = OperatorTokens.rotateDefault(data, CommandEnvironment.of(cmd).random());
      cmd.getOut().println(token.reveal());
      cmd.getOut().flush();
      cmd.getErr().println("The admin token in " + data.resolve(OperatorTokens.DEFAULT_FILE) + " was replaced.");
      cmd.getErr().flush();
      return 0;
    }
  }

  @Command(name = "add-token", mixinStandardHelpOptions = true,
      description = "Create a scoped token and print it once.")
  static final class AddToken extends Verb {
    @Option(names = "--name", required = true, description = "A name for the token (in grants and events).")
    String name;

    @Option(names = "--scope", required = true, split = ",",
        description = "Scopes: read, write, approvals, pairing, admin (comma-separated).")
    List<String> scopes;

    @Override
    int run(Path data, CommandLine cmd) throws IOException {
      BearerSecret token = OperatorTokens.addScoped(data, name, new LinkedHashSet<>(scopes),
          CommandEnvironment.of(cmd).random());
      cmd.getOut().println(token.reveal());
      cmd.getOut().flush();
      cmd.getErr().println("Token 'operator:" + name + "' with scopes " + scopes
          + " created; it is shown only now.");
      cmd.getErr().flush();
      return 0;
    }
  }

  @Command(name = "remove-token", mixinStandardHelpOptions = true, description = "Delete a scoped token.")
  static final class RemoveToken extends Verb {
    @Option(names = "--name", required = true) String name;

    @Override
    int run(Path data, CommandLine cmd) throws IOException {
      if (!OperatorTokens.removeScoped(data, name)) {
        cmd.getErr().println("operator remove-token: no token named '" + name + "'");
        cmd.getErr().flush();
        return 1;
      }
      cmd.getOut().println("Removed 'operator:" + name + "'.");
      cmd.getOut().flush();
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Token names and scopes.")
  static final class ListTokens extends Verb {
    @Override
    int run(Path data, CommandLine cmd) throws IOException {
      OperatorTokens tokens = OperatorTokens.forLoopback(data, Optional.empty(), CommandEnvironment.of(cmd).random());
      tokens.entries().forEach(e -> cmd.getOut().println(
          "operator:" + e.name() + "  " + e.scopes().stream().sorted().toList()));
      cmd.getOut().flush();
      return 0;
    }
  }
}
