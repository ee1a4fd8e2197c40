package dev.handshake.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handshake.identity.KeyProtection;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** One in-process run of the {@code handshake} CLI: exit code and what it printed. */
record CliRun(int exit, String out, String err) {
  /** The passphrase variable the CLI tests' environments define. */
  static final String PASS_VAR = "HS_PASS";

  static CliRun execute(CommandEnvironment environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new HandshakeCommand(environment));
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int exit = cmd.execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }

  /** {@code id new} at {@code file} with the fastest scrypt the CLI accepts; fails the test if refused. */
  static Path newKey(CommandEnvironment environment, Path file) {
    CliRun r =
        execute(
            environment, "id", "new", "--out", file.toString(), "--passphrase-env", PASS_VAR,
            "--scrypt-n", Integer.toString(KeyProtection.MIN_N));
    assertThat(r.exit()).as("id new failed: %s", r.err()).isZero();
    return file;
  }

  /** Stamps three {@code order} events (amounts 100, 200, 300) with {@code key} into {@code data}. */
  static void stampThreeOrders(CommandEnvironment environment, Path key, Path data) {
    for (int amount = 100; amount <= 300; amount += 100) {
      CliRun r =
          execute(
              environment, "audit", "stamp", "--key", key.toString(), "--data", data.toString(),
              "--payload", "{\"event_type\":\"order\",\"amount\":" + amount + "}",
              "--passphrase-env", PASS_VAR);
      assertThat(r.exit()).as("audit stamp failed: %s", r.err()).isZero();
    }
  }
}
