package dev.handshake.conformance;

import static org.assertj.core.api.Assertions.fail;

import dev.handshake.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A WebSocket test client over {@link java.net.http.WebSocket}: it queues every received text
 * message and records the close code, so tests wait with timeouts instead of sleeping.
 */
public final class WsTestClient implements AutoCloseable {
  /** How long {@link #next()} waits for a message. */
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);

  private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private volatile WebSocket socket;
  private final URI uri;

  private WsTestClient(URI uri) {
    this.uri = uri;
  }

  /** Opens a socket; fails the test if the upgrade does not complete within 5 s. */
  public static WsTestClient connect(
      HttpClient client, URI uri, List<String> subprotocols, Map<String, String> headers) {
    WsTestClient c = new WsTestClient(uri);
    WebSocket.Builder b = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    if (!subprotocols.isEmpty()) {
      b.subprotocols(
          subprotocols.get(0), subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
    }
    headers.forEach(b::header);
    try {
      c.socket = b.buildAsync(uri, c.new Listener()).get(5, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("WebSocket upgrade to " + redact(uri) + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    return c;
  }

  private static String redact(URI uri) {
    return uri.toString().replaceAll("token=[^&]*", "token=[redacted]");
  }

  /** The sub-protocol the server selected ({@code ""} if none). */
  public String subprotocol() {
    return socket.getSubprotocol();
  }

  /** The next message as JSON, waiting up to {@link #DEFAULT_WAIT}. */
  public JsonNode next() {
    return next(DEFAULT_WAIT);
  }

  /** The next message as JSON; fails the test if none arrives in time. */
  public JsonNode next(Duration wait) {
    Optional<JsonNode> m = poll(wait);
    if (m.isEmpty()) {
      fail(
          "no WebSocket message within %s ms on %s (closed: %s)",
          wait.toMillis(), redact(uri), closeCode.isDone() ? closeCode.join() : "no");
    }
    return m.get();
  }

  /** The next message as JSON if one arrives within {@code wait}. */
  public Optional<JsonNode> poll(Duration wait) {
    String text;
    try {
      text = messages.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.mapper().readTree(text));
    } catch (JacksonException e) {
      throw new AssertionError("WebSocket message is not JSON: " + text, e);
    }
  }

  /** Fails if any message arrives within {@code wait}. */
  public void expectNoMessage(Duration wait) {
    Optional<JsonNode> m = poll(wait);
    if (m.isPresent()) {
      fail("expected no WebSocket message within %s ms but got %s", wait.toMillis(), m.get());
    }
  }

  /** Messages already received and not yet consumed. */
  public int pending() {
    return messages.size();
  }

  /** Waits for the server's close frame and returns its status code. */
  public int awaitClose(Duration wait) {
    try {
      return closeCode.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(
          "WebSocket not closed by the server within " + wait.toMillis() + " ms", e);
    } catch (ExecutionException e) {
      throw new AssertionError("WebSocket failed instead of closing cleanly", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Whether the server has closed (or the connection failed). */
  public boolean isClosed() {
    return closeCode.isDone();
  }

  /** Sends one text frame and waits until it is written. */
  public void send(String text) {
    try {
      socket.sendText(text, true).get(5, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("could not send on WebSocket", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  @Override
  public void close() {
    WebSocket s = socket;
    if (s == null) {
      return;
    }
    if (!s.isOutputClosed()) {
      try {
        s.sendClose(WebSocket.NORMAL_CLOSURE, "").get(500, TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        // the server may already be gone; abort below
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    s.abort();
  }

  private final class Listener implements WebSocket.Listener {
    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      synchronized (partial) {
        partial.append(data);
        if (last) {
          messages.add(partial.toString());
          partial.setLength(0);
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closeCode.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closeCode.completeExceptionally(error);
    }
  }
}
