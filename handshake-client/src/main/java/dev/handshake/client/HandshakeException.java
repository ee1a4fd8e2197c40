package dev.handshake.client;

import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A non-2xx answer from an HPP server (hpp.md §2.2): the status, the server's {@code error} text
 * and, for 429, the {@code Retry-After} seconds when the server sent them. Transport failures
 * (refused connection, timeout) are {@link java.io.UncheckedIOException}s instead.
 */
public final class HandshakeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String error;
  private final @Nullable Long retryAfterSeconds;
  private final transient @Nullable JsonNode body;

  HandshakeException(
      int status, String error, @Nullable Long retryAfterSeconds, @Nullable JsonNode body) {
    super("HTTP " + status + ": " + error);
    this.status = status;
    this.error = error;
    this.retryAfterSeconds = retryAfterSeconds;
    this.body = body;
  }

  /** The HTTP status code, e.g. 403 for {@code invalid token}. */
  public int status() {
    return status;
  }

  /**
   * The server's {@code error} text; like the reference agent, the raw body when it is not JSON and
   * {@code HTTP <status>} when there is nothing better.
   */
  public String error() {
    return error;
  }

  /** Seconds to wait before retrying, from a numeric {@code Retry-After} header. */
  public OptionalLong retryAfterSeconds() {
    return retryAfterSeconds == null ? OptionalLong.empty() : OptionalLong.of(retryAfterSeconds);
  }

  /** The response body when it was JSON. */
  public Optional<JsonNode> body() {
    return Optional.ofNullable(body);
  }
}
