package dev.handshake.server.cli;

import dev.handshake.client.relay.ReceivedPacket;
import dev.handshake.client.relay.RelayClient;
import dev.handshake.json.Json;
import dev.handshake.relay.KeepPackets;
import dev.handshake.relay.proto.Packet;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code handshake relay listen}: registers {@code --src} with the relay (one packet to {@code
 * server}), then prints each packet other agents send as one JSON line {@code
 * {"id","src","dst","typ","body","verified"}}. Heartbeats and packets with a bad signature are
 * not printed. Exits 0 after {@code --count} packets or when {@code --timeout} passes, 1 if the
 * registration is refused, 2 if the connection fails.
 */
@Command(name = "listen", mixinStandardHelpOptions = true,
    description = "Register a src and print received packets as JSON lines.")
final class RelayListenCommand implements Callable<Integer> {
  private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin RelayClientOptions relay;

  @Option(names = "--src", required = true, description = "Identity to listen as, e.g. bot:alice.")
  String src;

  @Option(names = "--count", defaultValue = "0",
      description = "Exit after this many packets (default 0: no limit).")
  int count;

  @Option(names = "--timeout", converter = RelayClientOptions.DurationConverter.class,
      description = "Exit after listening this long (default: until --count or disconnect).")
  @Nullable Duration timeout;

  @Override
  public Integer call() throws InterruptedException {
    CommandLine cmd = spec.commandLine();
    PrintWriter out = cmd.getOut();
    CompletableFuture<Void> enough = new CompletableFuture<>();
    AtomicInteger printed = new AtomicInteger();
    try (RelayClient client = relay.client(cmd, src, REPLY_TIMEOUT)) {
      client.connect();
      Packet registered = client.send(KeepPackets.SERVER, "").orElseThrow();
      if (registered.getBody().startsWith("error:")) {
        cmd.getErr().println("relay refused " + src + ": " + registered.getBody());
        return RelayCommand.EXIT_ERROR_REPLY;
      }
      client.listen(
          p -> {
            // Deliveries come one at a time on the client's delivery thread.
            if (count > 0 && printed.get() >= count) {
              return;
            }
            out.println(Json.text(line(p)));
            out.flush();
            if (count > 0 && printed.incrementAndGet() >= count) {
              enough.complete(null);
            }
          });
      return await(CompletableFuture.anyOf(enough, client.disconnected()), enough, cmd);
    } catch (IOException e) {
      cmd.getErr().println("relay listen failed: " + e.getMessage());
      return RelayCommand.EXIT_IO;
    }
  }

  private int await(CompletableFuture<Object> end, CompletableFuture<Void> enough, CommandLine cmd)
      throws InterruptedException {
    try {
      if (timeout == null) {
        end.get();
      } else {
        end.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      }
    } catch (TimeoutException e) {
      return 0;
    } catch (ExecutionException e) {
      cmd.getErr().println("relay connection failed: " + e.getCause().getMessage());
      return RelayCommand.EXIT_IO;
    }
    if (enough.isDone()) {
      return 0;
    }
    cmd.getErr().println("relay closed the connection");
    return RelayCommand.EXIT_IO;
  }

  static ObjectNode line(ReceivedPacket p) {
    ObjectNode node = Json.object();
    node.put("id", p.id());
    node.put("src", p.src());
    node.put("dst", p.dst());
    node.put("typ", Integer.toUnsignedLong(p.typ()));
    node.put("body", p.body());
    node.put("verified", p.verified());
    return node;
  }
}
