package dev.handshake.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.handshake.relay.RelayConfig;
import dev.handshake.relay.RelayEngine;
import dev.handshake.server.relay.RelayListener;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * keep.md §4 item 33 / §3 items 3 and 10: unlike the reference (all interfaces, {@code :9009}),
 * {@code handshake serve} binds the keep relay to loopback unless told otherwise.
 */
class RelayHardeningBindTest {

  @Test
  @DisplayName("33 [ours] `handshake serve` defaults: relay bound to 127.0.0.1, port 9009")
  void serveDefaultsToLoopbackRelay() {
    assumeThat(System.getenv("HANDSHAKE_RELAY_BIND")).as("HANDSHAKE_RELAY_BIND unset").isNull();
    assumeThat(System.getenv("HANDSHAKE_RELAY_PORT")).as("HANDSHAKE_RELAY_PORT unset").isNull();
    ServeCommand serve = new ServeCommand();

    new CommandLine(serve).parseArgs();

    assertThat(serve.relay.bind).as("default --relay-bind (keep.bind)").isEqualTo("127.0.0.1");
    assertThat(serve.relay.port).as("default --relay-port").isEqualTo(9009);
  }

  @Test
  @DisplayName("33 [ours] the relay started by `handshake serve` with the default bind listens on loopback only")
  void servedRelayListensOnLoopbackOnly() throws Exception {
    assumeThat(System.getenv("HANDSHAKE_RELAY_BIND")).as("HANDSHAKE_RELAY_BIND unset").isNull();
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs("--relay-port", Integer.toString(freePort()));

    try (RelayListener relay = serve.startRelay(null)) {
      assertThat(relay).as("relay started").isNotNull();
      assertThat(relay.engine().config()).as("default profile").isEqualTo(RelayConfig.defaults());
      assertThat(relay.address().getAddress().isLoopbackAddress())
          .as("relay listens on %s", relay.address())
          .isTrue();
      Optional<InetAddress> external = nonLoopbackAddress();
      if (external.isPresent()) {
        try (Socket s = new Socket()) {
          assertThat(canConnect(s, new InetSocketAddress(external.get(), relay.port())))
              .as("the relay port is not reachable on %s", external.get())
              .isFalse();
        }
      }
    }
  }

  @Test
  @DisplayName("33 [ours] RelayConfig.defaults() with the default bind address reports a loopback listener")
  void defaultConfigWithDefaultBindIsLoopback() throws Exception {
    String defaultBind = new CommandLine(new ServeCommand()).getCommandSpec().findOption("--relay-bind").defaultValue();
    assertThat(defaultBind).as("declared default of --relay-bind").contains("127.0.0.1");
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs();

    try (RelayListener relay =
        RelayListener.start(serve.relay.bind, 0, new RelayEngine(RelayConfig.defaults(), Clock.systemUTC()))) {
      assertThat(relay.address().getAddress().isLoopbackAddress())
          .as("listener address %s", relay.address())
          .isTrue();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
    return NetworkInterface.networkInterfaces()
        .filter(i -> {
          try {
            return i.isUp() && !i.isLoopback();
          } catch (SocketException e) {
            return false;
          }
        })
        .flatMap(NetworkInterface::inetAddresses)
        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
        .findFirst();
  }

  private static boolean canConnect(Socket s, InetSocketAddress target) {
    try {
      s.connect(target, 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
