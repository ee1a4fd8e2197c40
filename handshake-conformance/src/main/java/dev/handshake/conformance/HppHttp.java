package dev.handshake.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A small HTTP/1.1 client over {@link HttpClient} for one server: {@code
 * http.request("POST", "/handshake/session").header("Origin", o).body("{}").send()}.
 */
public final class HppHttp implements AutoCloseable {
  /** The reference agent's timeout; every request the suite sends must answer within it. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

  private final HttpClient client;
  private final URI base;

  public HppHttp(URI base) {
    this.base = base;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  public HttpClient client() {
    return client;
  }

  public URI base() {
    return base;
  }

  /** A request to {@code pathAndQuery} (raw, already percent-encoded) on this server. */
  public Request request(String method, String pathAndQuery) {
    return new Request(method, pathAndQuery);
  }

  @Override
  public void close() {
    client.shutdownNow();
  }

  /** A request being built; {@link #send()} performs it. */
  public final class Request {
    private final String method;
    private final String pathAndQuery;
    private final List<String[]> headers = new ArrayList<>();
    private byte[] body = new byte[0];
    private boolean hasBody;

    private Request(String method, String pathAndQuery) {
      this.method = method;
      this.pathAndQuery = pathAndQuery;
    }

    public Request header(String name, String value) {
      headers.add(new String[] {name, value});
      return this;
    }

    /** {@code X-Handshake-Token}, the reference agent's header. */
    public Request token(String token) {
      return header("X-Handshake-Token", token);
    }

    public Request body(String text) {
      return body(text.getBytes(StandardCharsets.UTF_8));
    }

    public Request body(byte[] bytes) {
      body = bytes;
      hasBody = true;
      return this;
    }

    public HttpReply send() {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(REQUEST_TIMEOUT);
      for (String[] h : headers) {
        b.header(h[0], h[1]);
      }
      b.method(
          method,
          hasBody || method.equals("POST")
              ? HttpRequest.BodyPublishers.ofByteArray(body)
              : HttpRequest.BodyPublishers.noBody());
      try {
        HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new HttpReply(r.statusCode(), r.headers(), r.body());
      } catch (IOException e) {
        throw new UncheckedIOException(method + " " + pathAndQuery + " failed", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }
}
