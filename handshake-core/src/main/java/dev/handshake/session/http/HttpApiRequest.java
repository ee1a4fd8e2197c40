package dev.handshake.session.http;

import dev.handshake.session.RequestInfo;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP request as an adapter hands it over: method, decoded path, raw query, a header lookup
 * (case-insensitive) and the body bytes the adapter already bounded.
 */
public final class HttpApiRequest implements RequestInfo {
  private final String method;
  private final String path;
  private final @Nullable String rawQuery;
  private final Function<String, @Nullable String> headers;
  private final byte[] body;
  private final String clientAddress;

  public HttpApiRequest(
      String method,
      String path,
      @Nullable String rawQuery,
      Function<String, @Nullable String> headers,
      byte[] body,
      String clientAddress) {
    this.method = method;
    this.path = path;
    this.rawQuery = rawQuery;
    this.headers = headers;
    this.body = body;
    this.clientAddress = clientAddress;
  }

  @Override
  public Optional<String> httpMethod() {
    return Optional.of(method());
  }

  @Override
  public Optional<String> httpPath() {
    return Optional.of(path());
  }

  public String method() {
    return method;
  }

  public String path() {
    return path;
  }

  public byte[] body() {
    return body;
  }

  @Override
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.apply(name));
  }

  @Override
  public Optional<String> rawQuery() {
    return Optional.ofNullable(rawQuery);
  }

  @Override
  public String clientAddress() {
    return clientAddress;
  }
}
