package dev.handshake.store.redis;

import dev.handshake.store.StoreUnavailableException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One Redis server as every Redis store of a node uses it: a single multiplexed Lettuce connection
 * (thread-safe; commands from all threads are pipelined on it) opened from a {@code
 * redis://host:port[/db]} URL, with a bounded command timeout and automatic reconnection.
 *
 * <p><b>Failing fast.</b> While the server is unreachable, commands are rejected at once instead of
 * queueing, and a command the server does not answer fails after {@link Options#commandTimeout}:
 * either way the caller gets a {@link StoreUnavailableException} (which HTTP adapters answer with
 * 503), never a hang. The connection keeps reconnecting in the background, at most {@link
 * Options#maxReconnectDelay} apart, so once Redis is back the same {@code RedisConnection} works
 * again; nothing needs to be recreated.
 *
 * <pre>{@code
 * try (RedisConnection redis = RedisConnection.open("redis://127.0.0.1:6379/0")) {
 *   SessionStore sessions = RedisSessionStore.create(redis, Clock.systemUTC());
 * }
 * }</pre>
 *
 * <p>Only a standalone server (or a Sentinel-managed primary reached through its address) is
 * supported: the stores' Lua scripts touch several keys, which Redis Cluster would refuse. A
 * password in the URL ({@code redis://:secret@host}) is used but never printed: {@link #address()}
 * and every exception message leave it out.
 */
public final class RedisConnection implements AutoCloseable {
  private static final Set<String> SCHEMES = Set.of("redis", "rediss");

  /**
   * Limits of one connection.
   *
   * @param commandTimeout how long a command may wait for its answer before it fails (default 2 s);
   *     also the bound on waiting for a pub/sub subscription
   * @param connectTimeout how long opening the TCP connection may take (default 2 s)
   * @param maxReconnectDelay the longest pause between reconnection attempts (default 1 s); the
   *     pause starts at 1 ms and doubles up to this
   * @param requestQueueSize the most commands in flight on the connection (default 10,000); more
   *     fail at once rather than queue without bound
   * @param ioThreads Netty event-loop and computation threads of this client (default 2)
   * @param keyPrefix prepended to every key the stores write (default {@code "hs:"}), so several
   *     deployments can share one server
   */
  public record Options(
      Duration commandTimeout,
      Duration connectTimeout,
      Duration maxReconnectDelay,
      int requestQueueSize,
      int ioThreads,
      String keyPrefix) {
    public static final Options DEFAULTS =
        new Options(
            Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(1), 10_000, 2, "hs:");

    public Options {
      positive("commandTimeout", commandTimeout);
      positive("connectTimeout", connectTimeout);
      positive("maxReconnectDelay", maxReconnectDelay);
      if (requestQueueSize < 1) {
        throw new IllegalArgumentException(
            "requestQueueSize must be at least 1: " + requestQueueSize);
      }
      if (ioThreads < 1) {
        throw new IllegalArgumentException("ioThreads must be at least 1: " + ioThreads);
      }
    }

    public Options withCommandTimeout(Duration timeout) {
      return new Options(
          timeout, connectTimeout, maxReconnectDelay, requestQueueSize, ioThreads, keyPrefix);
    }

    public Options withConnectTimeout(Duration timeout) {
      return new Options(
          commandTimeout, timeout, maxReconnectDelay, requestQueueSize, ioThreads, keyPrefix);
    }

    public Options withMaxReconnectDelay(Duration delay) {
      return new Options(
          commandTimeout, connectTimeout, delay, requestQueueSize, ioThreads, keyPrefix);
    }

    public Options withRequestQueueSize(int size) {
      return new Options(
          commandTimeout, connectTimeout, maxReconnectDelay, size, ioThreads, keyPrefix);
    }

    public Options withKeyPrefix(String prefix) {
      return new Options(
          commandTimeout, connectTimeout, maxReconnectDelay, requestQueueSize, ioThreads, prefix);
    }

    private static void positive(String name, Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
    }
  }

  private final String address;
  private final Options options;
  private final ClientResources resources;
  private final RedisClient client;
  private final RedisURI uri;
  private final StatefulRedisConnection<byte[], byte[]> connection;
  private final RedisCommands<byte[], byte[]> commands;

  private RedisConnection(
      String address,
      Options options,
      ClientResources resources,
      RedisClient client,
      RedisURI uri,
      StatefulRedisConnection<byte[], byte[]> connection) {
    this.address = address;
    this.options = options;
    this.resources = resources;
    this.client = client;
    this.uri = uri;
    this.connection = connection;
    this.commands = connection.sync();
  }

  /** Connects with {@link Options#DEFAULTS}. */
  public static RedisConnection open(String url) {
    return open(url, Options.DEFAULTS);
  }

  /**
   * Connects to the server at {@code url} ({@code redis://[:password@]host[:port][/db]}, or {@code
   * rediss://} for TLS).
   *
   * @throws IllegalArgumentException if the URL is not such a URL
   * @throws StoreUnavailableException if the server cannot be reached within {@link
   *     Options#connectTimeout} (plus the command timeout for the handshake)
   */
  public static RedisConnection open(String url, Options options) {
    RedisURI uri = parse(url);
    uri.setTimeout(options.commandTimeout());
    String address =
        (uri.isSsl() ? "rediss" : "redis")
            + "://"
            + uri.getHost()
            + ":"
            + uri.getPort()
            + "/"
            + uri.getDatabase();
    ClientResources resources =
        ClientResources.builder()
            .ioThreadPoolSize(options.ioThreads())
            .computationThreadPoolSize(options.ioThreads())
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(1), options.maxReconnectDelay(), 2, TimeUnit.MILLISECONDS))
            .build();
    RedisClient client = RedisClient.create(resources);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .requestQueueSize(options.requestQueueSize())
            .timeoutOptions(TimeoutOptions.enabled(options.commandTimeout()))
            .socketOptions(
                SocketOptions.builder()
                    .connectTimeout(options.connectTimeout())
                    .keepAlive(true)
                    .build())
            .build());
    try {
      StatefulRedisConnection<byte[], byte[]> connection =
          client.connect(ByteArrayCodec.INSTANCE, uri);
      return new RedisConnection(address, options, resources, client, uri, connection);
    } catch (RedisException e) {
      shutdown(client, resources);
      throw new StoreUnavailableException(
          "Redis at " + address + " is unreachable: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      shutdown(client, resources);
      throw e;
    }
  }

  private static RedisURI parse(String url) {
    URI parsed;
    try {
      parsed = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "not a Redis URL (redis://host:port/db): " + e.getIndex(), e);
    }
    String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
    if (!SCHEMES.contains(scheme) || parsed.getHost() == null) {
      throw new IllegalArgumentException(
          "not a Redis URL: expected redis://host[:port][/db] or rediss://…, got scheme '"
              + scheme
              + "'");
    }
    try {
      return RedisURI.create(parsed);
    } catch (IllegalArgumentException e) {
      // Lettuce's message may quote the URL, password included
      throw new IllegalArgumentException("not a Redis URL (redis://host:port/db)");
    }
  }

  /** Where this connection points, {@code redis://host:port/db}, without credentials. */
  public String address() {
    return address;
  }

  public Options options() {
    return options;
  }

  /**
   * Asks the server for a PONG; for health checks.
   *
   * @throws StoreUnavailableException if it does not answer
   */
  public void ping() {
    call("PING", RedisCommands::ping);
  }

  /** Whether the connection is currently established (it may be reconnecting). */
  public boolean connected() {
    return connection.isOpen();
  }

  /** Closes the connection and releases the client's threads. */
  @Override
  public void close() {
    connection.close();
    shutdown(client, resources);
  }

  private static void shutdown(RedisClient client, ClientResources resources) {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    // bounded, so that closing never hangs on a stuck event loop
    resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
  }

  // ---- for the stores of this package --------------------------------------------------------

  /** {@code keyPrefix + name} as key bytes. */
  byte[] key(String name) {
    return utf8(options.keyPrefix() + name);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Runs one blocking command, turning Lettuce's failures into this project's exceptions. */
  <T> T call(String what, Function<RedisCommands<byte[], byte[]>, T> body) {
    try {
      return body.apply(commands);
    } catch (RedisException e) {
      throw failure(what, e);
    }
  }

  /**
   * Runs a Lua script by its digest, sending the source only when the server does not know it
   * (first use, or after a restart emptied its script cache).
   */
  <T> T eval(LuaScript script, ScriptOutputType type, byte[][] keys, byte[]... args) {
    return call(
        script.name(),
        c -> {
          try {
            return c.evalsha(script.sha1(), type, keys, args);
          } catch (RedisNoScriptException e) {
            return c.eval(script.source(), type, keys, args);
          }
        });
  }

  /**
   * {@link #eval} without blocking: the future completes with the script's answer or with Lettuce's
   * exception (at once while the server is unreachable). The caller bounds its wait and maps
   * failures with {@link #failure}.
   */
  <T> CompletableFuture<T> evalAsync(
      LuaScript script, ScriptOutputType type, byte[][] keys, byte[]... args) {
    RedisAsyncCommands<byte[], byte[]> c = connection.async();
    CompletableFuture<T> bySha;
    try {
      bySha = c.<T>evalsha(script.sha1(), type, keys, args).toCompletableFuture();
    } catch (RedisException e) {
      return CompletableFuture.failedFuture(e);
    }
    return bySha.exceptionallyCompose(e -> {
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      if (cause instanceof RedisNoScriptException) {
        return c.<T>eval(script.source(), type, keys, args).toCompletableFuture();
      }
      return CompletableFuture.failedFuture(cause);
    });
  }

  /** The non-blocking view of the shared connection (for PUBLISH, which nobody waits for). */
  RedisAsyncCommands<byte[], byte[]> async() {
    return connection.async();
  }

  /** A dedicated pub/sub connection with the same options; the caller closes it. */
  StatefulRedisPubSubConnection<byte[], byte[]> openPubSub() {
    try {
      return client.connectPubSub(ByteArrayCodec.INSTANCE, uri);
    } catch (RedisException e) {
      throw failure("SUBSCRIBE", e);
    }
  }

  /**
   * What a Lettuce exception means here: the server's refusal of a malformed command is a bug
   * ({@link IllegalStateException}); everything else (no connection, timeout, a server that is
   * loading, busy, out of memory or read-only) is {@link StoreUnavailableException}.
   */
  RuntimeException failure(String what, Throwable e) {
    if (e instanceof RedisCommandInterruptedException) {
      Thread.currentThread().interrupt();
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof RedisCommandExecutionException && isBug(message)) {
      return new IllegalStateException(
          "Redis at " + address + " refused " + what + ": " + message, e);
    }
    return new StoreUnavailableException(
        "Redis at " + address + " is unavailable (" + what + "): " + message, e);
  }

  private static boolean isBug(String message) {
    return message.startsWith("ERR")
        || message.startsWith("WRONGTYPE")
        || message.startsWith("NOSCRIPT");
  }
}
