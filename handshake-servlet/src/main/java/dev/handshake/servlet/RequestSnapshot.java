package dev.handshake.servlet;

import dev.handshake.session.RequestInfo;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The parts of a request the engine may read, copied once: container request objects must not be
 * touched after the exchange ends, while hooks and pacing may run later on other threads.
 */
final class RequestSnapshot implements RequestInfo {
  private final Map<String, String> headers;
  private final @Nullable String rawQuery;
  private final String clientAddress;

  private RequestSnapshot(
      Map<String, String> headers, @Nullable String rawQuery, String clientAddress) {
    this.headers = headers;
    this.rawQuery = rawQuery;
    this.clientAddress = clientAddress;
  }

  static RequestSnapshot of(HttpServletRequest request) {
    Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String name : Collections.list(request.getHeaderNames())) {
      put(h, name, Collections.list(request.getHeaders(name)));
    }
    return new RequestSnapshot(h, request.getQueryString(), request.getRemoteAddr());
  }

  /** From a WebSocket handshake, whose API offers headers and query but no client address. */
  static RequestSnapshot of(
      Map<String, List<String>> handshakeHeaders, @Nullable String rawQuery, String address) {
    Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    handshakeHeaders.forEach((name, values) -> put(h, name, values));
    return new RequestSnapshot(h, rawQuery, address);
  }

  /**
   * Keeps the first value of each header, except {@code Cookie}: HTTP/2 may split it into several
   * fields, which RFC 9113 §8.2.3 says to join with {@code "; "} before use.
   */
  private static void put(Map<String, String> into, String name, List<String> values) {
    if (values.isEmpty() || into.containsKey(name)) {
      return;
    }
    into.put(name, name.equalsIgnoreCase("Cookie") ? String.join("; ", values) : values.get(0));
  }

  @Nullable String headerOrNull(String name) {
    return headers.get(name);
  }

  @Override
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name));
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
