package dev.handshake.audit.tsa;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * Where and how {@link TsaClient} asks for timestamps. {@link #of(URI)} gives the defaults: 10 s
 * to connect, 30 s for the whole exchange, answers up to 128 KiB (a token with a certificate chain
 * is a few kilobytes), and ±5 min between the TSA's genTime and the local clock at request time.
 *
 * @param url an {@code http} or {@code https} URL; plain HTTP is acceptable because the answer is
 *     signed and bound to the request by its nonce
 * @param connectTimeout bound on establishing the connection
 * @param timeout bound on the whole exchange, connection included; nothing waits longer
 * @param maxResponseBytes an answer larger than this is cut off ({@link TsaFailure#OVERSIZED})
 * @param maxClockSkew how far genTime may lie outside the request's start and end on the local
 *     clock ({@link TsaFailure#GEN_TIME_OUT_OF_RANGE})
 */
public record TsaConfig(
    URI url,
    Duration connectTimeout,
    Duration timeout,
    int maxResponseBytes,
    Duration maxClockSkew) {
  public static final int DEFAULT_MAX_RESPONSE_BYTES = 128 * 1024;

  public TsaConfig {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
      throw new IllegalArgumentException("TSA URL must be http(s)://host/…, not " + url);
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero()
        || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("TSA timeouts must be positive");
    }
    if (maxResponseBytes < 1024) {
      throw new IllegalArgumentException("maxResponseBytes must be at least 1024");
    }
    if (maxClockSkew.isNegative()) {
      throw new IllegalArgumentException("maxClockSkew must not be negative");
    }
  }

  /** {@code url} with the defaults above. */
  public static TsaConfig of(URI url) {
    return new TsaConfig(
        url, Duration.ofSeconds(10), Duration.ofSeconds(30), DEFAULT_MAX_RESPONSE_BYTES,
        Duration.ofMinutes(5));
  }

  public TsaConfig withTimeouts(Duration connect, Duration total) {
    return new TsaConfig(url, connect, total, maxResponseBytes, maxClockSkew);
  }

  public TsaConfig withMaxResponseBytes(int max) {
    return new TsaConfig(url, connectTimeout, timeout, max, maxClockSkew);
  }
}
