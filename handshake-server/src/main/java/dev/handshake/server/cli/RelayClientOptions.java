package dev.handshake.server.cli;

import dev.handshake.client.relay.RelayClient;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.identity.KeyFile;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The connection and key flags shared by the {@code handshake relay} verbs. The key is loaded
 * with {@code --key}, or generated (and saved owner-only with {@code --key-out}); its seed is
 * never printed.
 */
final class RelayClientOptions {
  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "Relay host (default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "9009",
      description = "Relay port (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--key", paramLabel = "FILE",
      description = "Ed25519 key file to sign with (handshake-ed25519/1 JSON or a hex seed).")
  @Nullable Path keyFile;

  @Option(names = "--key-out", paramLabel = "FILE",
      description = "Save the freshly generated key to FILE (owner-only, never overwritten).")
  @Nullable Path keyOut;

  /** A client named {@code src} with the chosen key and reply timeout. */
  RelayClient client(CommandLine cmd, String src, Duration timeout) throws IOException {
    if (keyFile != null && keyOut != null) {
      throw new CommandLine.ParameterException(
          cmd, "--key and --key-out exclude each other: --key-out saves a generated key");
    }
    Ed25519PrivateKey key;
    if (keyFile != null) {
      key = KeyFile.load(keyFile);
    } else {
      key = Ed25519PrivateKey.generate(new SecureRandom());
      if (keyOut != null) {
        KeyFile.save(keyOut, key);
      }
    }
    return RelayClient.builder().host(host).port(port).key(key).src(src).timeout(timeout).build();
  }

  /** Reads {@code 10s}, {@code 500ms}, {@code 2m} or a bare number of seconds. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration d = RelayOptions.parseDuration(value);
      if (d.isNegative() || d.isZero()) {
        throw new CommandLine.TypeConversionException("must be positive: " + value);
      }
      return d;
    }
  }
}
