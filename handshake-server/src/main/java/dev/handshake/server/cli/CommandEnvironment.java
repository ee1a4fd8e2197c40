package dev.handshake.server.cli;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;

/**
 * What the commands take from outside the process: environment variables, the terminal, the clock
 * and randomness. {@link HandshakeCommand} holds one; tests build the command with their own so
 * that they can run it in-process (the JVM cannot set its own environment variables).
 *
 * @param variables looks up an environment variable, null when unset
 */
record CommandEnvironment(
    Function<String, @Nullable String> variables,
    SecretPrompt terminal,
    Clock clock,
    SecureRandom random) {

  /** The real environment, {@code System.console()}, the system clock and a fresh CSPRNG. */
  static CommandEnvironment system() {
    return new CommandEnvironment(
        System::getenv, SecretPrompt.console(), Clock.systemUTC(), new SecureRandom());
  }

  /** The environment of the {@code handshake} command {@code cmd} belongs to. */
  static CommandEnvironment of(CommandLine cmd) {
    Object root = cmd.getCommandSpec().root().userObject();
    return root instanceof HandshakeCommand handshake ? handshake.environment() : system();
  }
}
