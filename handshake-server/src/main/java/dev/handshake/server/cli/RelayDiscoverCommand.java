package dev.handshake.server.cli;

import dev.handshake.client.relay.RelayClient;
import dev.handshake.client.relay.RelayReplyException;
import dev.handshake.json.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code handshake relay discover}: asks {@code discover:<query>} (keep.md §2.7) and prints the
 * JSON answer. Without {@code --src} the query is anonymous and registers no name. Exit 1 when
 * the relay answers {@code error:unknown_discovery}, 2 when it cannot be reached.
 */
@Command(name = "discover", mixinStandardHelpOptions = true,
    description = "Print the relay's discover:info, discover:agents or discover:stats JSON.")
final class RelayDiscoverCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin RelayClientOptions relay;

  @Parameters(index = "0", arity = "0..1", defaultValue = "info", paramLabel = "QUERY",
      description = "info (default), agents or stats.")
  String query;

  @Option(names = "--src", defaultValue = "",
      description = "Identity to query as (registers it); default anonymous.")
  String src;

  @Option(names = "--timeout", defaultValue = "10s", converter = RelayClientOptions.DurationConverter.class,
      description = "Connect and reply timeout (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    try (RelayClient client = relay.client(cmd, src, timeout)) {
      cmd.getOut().println(Json.text(client.discover(query)));
      cmd.getOut().flush();
      return 0;
    } catch (RelayReplyException e) {
      cmd.getErr().println(e.reply());
      return RelayCommand.EXIT_ERROR_REPLY;
    } catch (IOException e) {
      cmd.getErr().println("relay discover failed: " + e.getMessage());
      return RelayCommand.EXIT_IO;
    }
  }
}
