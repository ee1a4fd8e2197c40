package dev.handshake.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP plumbing both clients share: one {@link HttpClient}, the per-request timeout, JSON
 * decoding and the mapping of non-2xx answers to {@link HandshakeException}.
 */
final class HppTransport implements AutoCloseable {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final String JSON_CONTENT_TYPE = "application/json; charset=utf-8";

  private final HttpClient client;
  private final boolean ownsClient;
  private final Duration timeout;

  HppTransport(@Nullable HttpClient client, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    this.ownsClient = client == null;
    this.client =
        client != null
            ? client
            : HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
    this.timeout = timeout;
  }

  HttpClient client() {
    return client;
  }

  Duration timeout() {
    return timeout;
  }

  HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(timeout);
  }

  static HttpRequest.BodyPublisher body(JsonNode json) {
    return HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(json));
  }

  /** Sends a request; I/O failures become {@link UncheckedIOException}. */
  HttpResponse<byte[]> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("connection error: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new InterruptedIOException("interrupted"));
    }
  }

  /** Sends a request and decodes its JSON answer; an empty 2xx body is {@code {}}. */
  JsonNode sendForJson(HttpRequest request) {
    HttpResponse<byte[]> response = send(request);
    requireSuccess(response);
    byte[] bytes = response.body();
    if (bytes.length == 0) {
      return JSON.createObjectNode();
    }
    int status = response.statusCode();
    return parse(bytes)
        .orElseThrow(() -> new HandshakeException(status, "response is not JSON", null, null));
  }

  /** Throws {@link HandshakeException} unless the status is 2xx. */
  static void requireSuccess(HttpResponse<byte[]> response) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return;
    }
    byte[] bytes = response.body();
    Optional<JsonNode> json = bytes == null ? Optional.empty() : parse(bytes);
    String error;
    if (json.isPresent()) {
      JsonNode e = json.get().path("error");
      error = e.isString() ? e.stringValue() : "HTTP " + status;
    } else {
      String text = bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
      error = text.isBlank() ? "HTTP " + status : text;
    }
    Long retryAfter =
        response.headers().firstValue("Retry-After").map(HppTransport::seconds).orElse(null);
    throw new HandshakeException(status, error, retryAfter, json.orElse(null));
  }

  private static @Nullable Long seconds(String header) {
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return null; // an HTTP-date; HPP servers send seconds
    }
  }

  static Optional<JsonNode> parse(byte[] bytes) {
    try {
      return Optional.ofNullable(JSON.readTree(bytes));
    } catch (JacksonException e) {
      return Optional.empty();
    }
  }

  /**
   * Percent-encodes UTF-8 text like Python's {@code urllib.parse.quote}: everything but {@code A-Z
   * a-z 0-9 - . _ ~} and the characters in {@code safe}.
   */
  static String quote(String text, String safe) {
    StringBuilder sb = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || "-._~".indexOf(c) >= 0
          || (c < 0x80 && safe.indexOf(c) >= 0)) {
        sb.append(c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)));
        sb.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  static String stripTrailingSlashes(String s) {
    String r = s;
    while (r.endsWith("/")) {
      r = r.substring(0, r.length() - 1);
    }
    return r;
  }

  @Override
  public void close() {
    if (ownsClient) {
      client.close();
    }
  }
}
