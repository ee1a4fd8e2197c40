package dev.handshake.server.cli;

import dev.handshake.client.relay.RelayClient;
import dev.handshake.crypto.Ed25519PrivateKey;
import dev.handshake.identity.KeyFiles;
import dev.handshake.identity.LoadedKey;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The connection and key flags shared by the {@code handshake relay} verbs. The key is loaded
 * with {@code --key} from any format {@link KeyFiles} reads (a plaintext file draws a warning), or
 * generated and, with {@code --key-out}, saved encrypted and owner-only; its seed is never
 * printed. The passphrase flags are {@link PassphraseOptions}.
 */
final class RelayClientOptions {
  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "Relay host (default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "9009",
      description = "Relay port (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--key", paramLabel = "FILE",
      description = "Key file to sign with (handshake id new, PiQrypt PQKY or plaintext, hex seed).")
  @Nullable Path keyFile;

  @Option(names = "--key-out", paramLabel = "FILE",
      description = "Save the freshly generated key to FILE (encrypted, owner-only, never overwritten).")
  @Nullable Path keyOut;

  @Mixin PassphraseOptions passphrase = new PassphraseOptions();

  /** A client named {@code src} with the chosen key and reply timeout. */
  RelayClient client(CommandLine cmd, String src, Duration timeout) throws IOException {
    if (keyFile != null && keyOut != null) {
      throw new CommandLine.ParameterException(
          cmd, "--key and --key-out exclude each other: --key-out saves a generated key");
    }
    Ed25519PrivateKey key;
    try {
      if (keyFile != null) {
        LoadedKey loaded =
            KeyFiles.load(keyFile, passphrase.source(cmd), passphrase.pqkyScryptN(cmd));
        IdCommand.warnIfPlaintext(cmd.getErr(), keyFile, loaded.format());
        key = loaded.key();
      } else {
        key = Ed25519PrivateKey.generate(CommandEnvironment.of(cmd).random());
        if (keyOut != null) {
          KeyFiles.save(keyOut, key, passphrase.forNewFile(cmd, keyOut), passphrase.protection(cmd));
        }
      }
    } finally {
      passphrase.wipe();
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
