package dev.handshake.client.relay;

import dev.handshake.crypto.Ed25519PrivateKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Configures a {@link RelayClient}. Defaults: host {@code 127.0.0.1}, port {@code 9009}, timeout
 * 10 s, a fresh Ed25519 key. {@code src} has no default: the SDK's shared {@code bot:keep-client}
 * made unrelated clients evict each other (keep.md §3 item 12), so every client names itself.
 */
public final class RelayClientBuilder {
  private String host = "127.0.0.1";
  private int port = 9009;
  private @Nullable Ed25519PrivateKey key;
  private @Nullable String src;
  private Duration timeout = Duration.ofSeconds(10);
  private @Nullable SecureRandom random;

  RelayClientBuilder() {}

  public RelayClientBuilder host(String host) {
    this.host = Objects.requireNonNull(host, "host");
    return this;
  }

  public RelayClientBuilder port(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, got " + port);
    }
    this.port = port;
    return this;
  }

  /** The signing key; without one, {@link #build()} generates a fresh key. */
  public RelayClientBuilder key(Ed25519PrivateKey key) {
    this.key = Objects.requireNonNull(key, "key");
    return this;
  }

  /**
   * The sender identity, by convention {@code bot:name} or {@code human:name}. Required. The empty
   * string is allowed for anonymous discovery queries, which the relay answers without
   * registering a name (keep.md §2.7).
   */
  public RelayClientBuilder src(String src) {
    this.src = Objects.requireNonNull(src, "src");
    return this;
  }

  /** How long to wait for a connection or a reply. */
  public RelayClientBuilder timeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    this.timeout = timeout;
    return this;
  }

  /** Randomness for generating a key when none is given (tests pass a seeded source). */
  public RelayClientBuilder random(SecureRandom random) {
    this.random = Objects.requireNonNull(random, "random");
    return this;
  }

  /** @throws IllegalStateException when no {@code src} was set */
  public RelayClient build() {
    String name = src;
    if (name == null) {
      throw new IllegalStateException(
          "src is required: name this client (e.g. bot:alice); there is no shared default");
    }
    Ed25519PrivateKey k = key;
    if (k == null) {
      k = Ed25519PrivateKey.generate(random != null ? random : new SecureRandom());
    }
    return new RelayClient(host, port, k, name, timeout);
  }
}
