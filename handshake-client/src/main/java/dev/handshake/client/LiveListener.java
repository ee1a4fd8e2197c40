package dev.handshake.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A browser's live channel to one session (hpp.md §2.5), opened by {@link BrowserClient#listen()}:
 * every JSON message the server pushes ({@code connected}, {@code action}, {@code done}, {@code
 * extended}, {@code heartbeat}, {@code expired}, {@code error}) is queued until a test or UI takes
 * it, and the close code is recorded. Thread-safe; text that is not JSON is ignored.
 *
 * <pre>{@code
 * try (LiveListener live = browser.listen()) {
 *   live.awaitType("connected", Duration.ofSeconds(5));
 *   live.userEdit("name", "Bob");
 *   Optional<JsonNode> done = live.awaitType("done", Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class LiveListener implements AutoCloseable {
  /** How the browser presents the session token when it opens the socket. */
  public enum TokenPlacement {
    /** {@code ?token=<token>} on the URL, as the reference browser SDK does. */
    QUERY,
    /** Sub-protocols {@code hpp} and {@code hpp.token.<token>}, keeping the token out of URLs. */
    SUBPROTOCOL
  }

  private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

  private final Duration sendTimeout;
  private final Object lock = new Object();
  private final Object sendLock = new Object();
  private final ArrayDeque<JsonNode> inbox = new ArrayDeque<>(); // guarded by lock
  private @Nullable WebSocket socket; // guarded by lock
  private @Nullable Integer closeCode; // guarded by lock
  private @Nullable Throwable failure; // guarded by lock
  private final StringBuilder partial = new StringBuilder(); // only the receiving thread

  LiveListener(Duration sendTimeout) {
    this.sendTimeout = sendTimeout;
  }

  /**
   * Opens a socket to {@code url}, sending {@code origin} and offering {@code subprotocols}.
   *
   * @throws HandshakeException when the server refuses the upgrade
   */
  static LiveListener open(
      HttpClient client,
      URI url,
      Optional<String> origin,
      List<String> subprotocols,
      Duration timeout) {
    LiveListener live = new LiveListener(timeout);
    WebSocket.Builder b = client.newWebSocketBuilder().connectTimeout(timeout);
    origin.ifPresent(o -> b.header("Origin", o));
    if (!subprotocols.isEmpty()) {
      b.subprotocols(
          subprotocols.get(0), subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
    }
    try {
      WebSocket ws =
          b.buildAsync(url, live.receiver()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      live.attach(ws);
      return live;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof WebSocketHandshakeException h) {
        throw new HandshakeException(
            h.getResponse().statusCode(), "WebSocket upgrade refused", null, null);
      }
      IOException io = cause instanceof IOException i ? i : new IOException(cause);
      throw new UncheckedIOException("connection error: " + cause, io);
    } catch (TimeoutException e) {
      throw new UncheckedIOException(new IOException("WebSocket connect timed out", e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new InterruptedIOException("interrupted"));
    }
  }

  /** The callbacks the JDK WebSocket drives; one message is requested at a time. */
  WebSocket.Listener receiver() {
    return new WebSocket.Listener() {
      @Override
      public void onOpen(WebSocket webSocket) {
        attach(webSocket);
        webSocket.request(1);
      }

      @Override
      public @Nullable CompletionStage<?> onText(
          WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          String text = partial.toString();
          partial.setLength(0);
          HppTransport.parse(text.getBytes(StandardCharsets.UTF_8))
              .filter(n -> !n.isMissingNode())
              .ifPresent(LiveListener.this::enqueue);
        }
        webSocket.request(1);
        return null;
      }

      @Override
      public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int code, String reason) {
        synchronized (lock) {
          closeCode = code;
          lock.notifyAll();
        }
        return null;
      }

      @Override
      public void onError(WebSocket webSocket, Throwable error) {
        synchronized (lock) {
          failure = error;
          lock.notifyAll();
        }
      }
    };
  }

  void attach(WebSocket webSocket) {
    synchronized (lock) {
      socket = webSocket;
    }
  }

  private void enqueue(JsonNode message) {
    synchronized (lock) {
      inbox.addLast(message);
      lock.notifyAll();
    }
  }

  /** Takes the oldest queued message, waiting up to {@code timeout} for one to arrive. */
  public Optional<JsonNode> next(Duration timeout) {
    return take(m -> true, timeout);
  }

  /**
   * Takes the oldest queued message whose {@code type} is {@code type}, waiting up to {@code
   * timeout}; messages of other types stay queued in order.
   */
  public Optional<JsonNode> awaitType(String type, Duration timeout) {
    return take(m -> m.path("type").stringValueOpt().filter(type::equals).isPresent(), timeout);
  }

  /** The messages received and not yet taken, oldest first. */
  public List<JsonNode> pending() {
    synchronized (lock) {
      return List.copyOf(inbox);
    }
  }

  private Optional<JsonNode> take(Predicate<JsonNode> wanted, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (true) {
        for (Iterator<JsonNode> it = inbox.iterator(); it.hasNext(); ) {
          JsonNode m = it.next();
          if (wanted.test(m)) {
            it.remove();
            return Optional.of(m);
          }
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0 || closeCode != null || failure != null) {
          return Optional.empty(); // nothing more can arrive once the socket is gone
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, remaining);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return Optional.empty();
        }
      }
    }
  }

  /** The close code the server sent, once it closed the socket. */
  public OptionalInt closeCode() {
    synchronized (lock) {
      return closeCode == null ? OptionalInt.empty() : OptionalInt.of(closeCode);
    }
  }

  /** Waits up to {@code timeout} for the server to close the socket; returns its close code. */
  public OptionalInt awaitClose(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (closeCode == null && failure == null) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          break;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, remaining);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      return closeCode == null ? OptionalInt.empty() : OptionalInt.of(closeCode);
    }
  }

  /** The transport error that ended the socket, if one did. */
  public Optional<Throwable> failure() {
    synchronized (lock) {
      return Optional.ofNullable(failure);
    }
  }

  /** The sub-protocol the server selected ({@code hpp}), or empty. */
  public Optional<String> subprotocol() {
    String p = socket().getSubprotocol();
    return p == null || p.isEmpty() ? Optional.empty() : Optional.of(p);
  }

  /** Sends {@code {"type":"userEdit","key":key,"value":value}}, handled like notify (§2.6). */
  public void userEdit(String key, @Nullable Object value) {
    ObjectNode m = HppTransport.JSON.createObjectNode();
    m.put("type", "userEdit");
    m.put("key", key);
    m.set("value", AgentClient.toJson(value));
    send(m);
  }

  /** Sends one JSON text frame and waits until it is written. */
  public void send(JsonNode message) {
    WebSocket ws = socket();
    String text = HppTransport.JSON.writeValueAsString(message);
    synchronized (sendLock) { // the JDK socket allows one outstanding send
      try {
        ws.sendText(text, true).get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        throw new UncheckedIOException(
            new IOException("WebSocket send failed: " + e.getCause(), e.getCause()));
      } catch (TimeoutException e) {
        throw new UncheckedIOException(new IOException("WebSocket send timed out", e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UncheckedIOException(new InterruptedIOException("interrupted"));
      }
    }
  }

  private WebSocket socket() {
    synchronized (lock) {
      if (socket == null) {
        throw new IllegalStateException("the WebSocket is not open");
      }
      return socket;
    }
  }

  /** Sends a normal close (1000), waits briefly for the server's close, then drops the socket. */
  @Override
  public void close() {
    WebSocket ws;
    synchronized (lock) {
      ws = socket;
    }
    if (ws == null) {
      return;
    }
    synchronized (sendLock) {
      if (!ws.isOutputClosed()) {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, ""); // failures show as the missing close code
      }
    }
    awaitClose(CLOSE_GRACE);
    ws.abort();
  }
}
