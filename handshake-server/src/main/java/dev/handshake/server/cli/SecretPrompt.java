package dev.handshake.server.cli;

import java.io.Console;
import java.lang.reflect.Method;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Asks the person at the terminal for a secret without echoing it. */
@FunctionalInterface
interface SecretPrompt {
  /** The characters typed after {@code prompt}, or empty when there is no terminal. */
  Optional<char[]> read(String prompt);

  /** {@code System.console()}, when it is an interactive terminal. */
  static SecretPrompt console() {
    return prompt -> {
      Console console = interactiveConsole();
      if (console == null) {
        return Optional.empty();
      }
      return Optional.ofNullable(console.readPassword("%s", prompt));
    };
  }

  /** No terminal at all (tests, daemons). */
  static SecretPrompt none() {
    return prompt -> Optional.empty();
  }

  /**
   * Since JDK 22 {@code System.console()} also answers when the streams are redirected; {@code
   * Console.isTerminal()} (JDK 22, called reflectively because we compile for 21) tells the cases
   * apart, so a piped stdin is never mistaken for a person typing.
   */
  private static @Nullable Console interactiveConsole() {
    Console console = System.console();
    if (console == null) {
      return null;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return Boolean.TRUE.equals(isTerminal.invoke(console)) ? console : null;
    } catch (NoSuchMethodException e) {
      return console; // JDK 21: a non-null console is a terminal.
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }
}
