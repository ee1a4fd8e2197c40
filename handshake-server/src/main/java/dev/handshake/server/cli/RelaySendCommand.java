package dev.handshake.server.cli;

import com.google.protobuf.ByteString;
import dev.handshake.client.relay.RelayClient;
import dev.handshake.relay.proto.Packet;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code handshake relay send}: one ephemeral signed packet (keep.md §2.12). Prints the relay's
 * reply body, or nothing for a forward to another agent (forwards are not acknowledged). Exit 0
 * on {@code done}, a forward or any other non-error reply; 1 on an {@code error:*} reply; 2 when
 * the relay cannot be reached or a key file cannot be used.
 */
@Command(name = "send", mixinStandardHelpOptions = true,
    description = "Send one signed packet and print the reply body (nothing for a forward).")
final class RelaySendCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin RelayClientOptions relay;

  @Option(names = "--src", required = true, description = "Our identity, e.g. bot:alice.")
  String src;

  @Option(names = "--dst", defaultValue = "server",
      description = "server (default), discover:<query> or another agent's src.")
  String dst;

  @Option(names = "--id", description = "Packet id (default: a fresh UUID).")
  @Nullable String id;

  @Option(names = "--typ", defaultValue = "0", description = "0=ask (default), 1=offer.")
  int typ;

  @Option(names = "--ttl", defaultValue = "0", description = "Advisory seconds; the relay ignores it.")
  long ttl;

  @Option(names = "--scar-hex", paramLabel = "HEX", description = "scar bytes, hex-encoded.")
  @Nullable String scarHex;

  @Option(names = "--timeout", defaultValue = "10s", converter = RelayClientOptions.DurationConverter.class,
      description = "Connect and reply timeout (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Parameters(index = "0", paramLabel = "BODY", description = "The packet body.")
  String body;

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    Packet template = template(cmd);
    Optional<Packet> reply;
    try (RelayClient client = relay.client(cmd, src, timeout)) {
      reply = client.send(template);
    } catch (IOException e) {
      cmd.getErr().println("relay send failed: " + e.getMessage());
      return RelayCommand.EXIT_IO;
    }
    if (reply.isEmpty()) {
      return 0;
    }
    PrintWriter out = cmd.getOut();
    out.println(reply.get().getBody());
    out.flush();
    return reply.get().getBody().startsWith("error:") ? RelayCommand.EXIT_ERROR_REPLY : 0;
  }

  private Packet template(CommandLine cmd) {
    if (typ < 0 || ttl < 0 || ttl > 0xFFFF_FFFFL) {
      throw new CommandLine.ParameterException(cmd, "--typ and --ttl are unsigned 32-bit numbers");
    }
    Packet.Builder b =
        Packet.newBuilder().setDst(dst).setBody(body).setTyp(typ).setTtl((int) ttl);
    if (id != null) {
      b.setId(id);
    }
    if (scarHex != null) {
      try {
        b.setScar(ByteString.copyFrom(HexFormat.of().parseHex(scarHex)));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(cmd, "--scar-hex is not hex: " + scarHex);
      }
    }
    return b.build();
  }
}
