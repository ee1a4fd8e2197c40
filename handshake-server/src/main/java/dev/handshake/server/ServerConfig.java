package dev.handshake.server;

import dev.handshake.session.SessionConfig;
import java.util.Optional;

/**
 * How the server listens and what it serves.
 *
 * @param host bind address; loopback by default (product-improvements.md #15)
 * @param port HTTP and WebSocket port; 0 picks a free one
 * @param publicBaseUrl base URL printed in prompts; empty means {@code http://<Host header>}
 * @param sessions the Sessions capability's settings
 * @param maxConnections open HTTP/WebSocket connections accepted at once
 * @param demoPage serve the watch/demo page at {@code /}
 */
public record ServerConfig(
    String host,
    int port,
    Optional<String> publicBaseUrl,
    SessionConfig sessions,
    int maxConnections,
    boolean demoPage) {

  public static ServerConfig defaults() {
    return new ServerConfig("127.0.0.1", 8080, Optional.empty(), SessionConfig.defaults(), 10_000, true);
  }

  public ServerConfig withPort(int p) {
    return new ServerConfig(host, p, publicBaseUrl, sessions, maxConnections, demoPage);
  }

  public ServerConfig withSessions(SessionConfig s) {
    return new ServerConfig(host, port, publicBaseUrl, s, maxConnections, demoPage);
  }

  /** A one-line description for the start-up log; contains no secrets. */
  public String describe() {
    SessionConfig s = sessions;
    return "bind=" + host + ":" + port
        + " publicBaseUrl=" + publicBaseUrl.orElse("(from Host header)")
        + " prefix=" + s.prefix() + " wsPrefix=" + s.wsPrefix()
        + " ttl=" + s.ttl().toSeconds() + "s"
        + " rateLimit=" + s.rateLimitPerMinute() + "/min"
        + " maxBody=" + s.maxBodyBytes()
        + " maxSessions=" + s.maxLiveSessions()
        + " queryToken=" + s.allowQueryToken()
        + " notifyBinding=" + s.notifyRequireBinding()
        + " createNoOrigin=" + s.createAllowNoOrigin()
        + " createKey=" + (s.createKey().isPresent() ? "set" : "unset")
        + " maxConnections=" + maxConnections;
  }
}
