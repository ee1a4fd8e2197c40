package dev.handshake.servlet;

import dev.handshake.session.HppResponse;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One asynchronous request in flight and the single response it gets. The response is written
 * with a {@link WriteListener}, so a slow client never holds the thread that completed the
 * engine's future (often the engine's pacing scheduler).
 */
final class HttpExchange {
  private static final Logger LOG = LoggerFactory.getLogger(HttpExchange.class);

  private final AsyncContext async;
  private final HttpServletResponse response;
  private final AtomicBoolean answered = new AtomicBoolean();

  HttpExchange(AsyncContext async, HttpServletResponse response) {
    this.async = async;
    this.response = response;
    // Pacing is bounded by the engine (hpp.md §3 item 6), not by a container timer that would
    // answer with an HTML error page.
    async.setTimeout(0);
    async.addListener(new Abandon());
  }

  /** Writes {@code r} and completes the request; later calls are ignored. */
  void answer(HppResponse r) {
    if (!answered.compareAndSet(false, true)) {
      return;
    }
    try {
      ServletOutputStream out = prepare(response, r);
      out.setWriteListener(new BodyWriter(out, r.body()));
    } catch (IOException | RuntimeException e) {
      LOG.debug("could not write the response", e);
      async.complete();
    }
  }

  /** Sets status and headers (keeping those other filters set) and returns the body stream. */
  static ServletOutputStream prepare(HttpServletResponse response, HppResponse r)
      throws IOException {
    response.setStatus(r.status());
    response.setContentType(r.contentType());
    for (Map.Entry<String, String> h : r.headers().entrySet()) {
      response.setHeader(h.getKey(), h.getValue());
    }
    response.setContentLength(r.body().length);
    return response.getOutputStream();
  }

  private final class BodyWriter implements WriteListener {
    private final ServletOutputStream out;
    private final byte[] body;
    private boolean written;

    BodyWriter(ServletOutputStream out, byte[] body) {
      this.out = out;
      this.body = body;
    }

    @Override
    public void onWritePossible() throws IOException {
      if (!written) {
        written = true;
        out.write(body); // the container buffers what the socket cannot take yet
      }
      if (out.isReady()) {
        async.complete();
      }
    }

    @Override
    public void onError(Throwable t) {
      LOG.debug("client went away while the response was written", t);
      async.complete();
    }
  }

  /** The client disconnected (or the container failed the request) before the engine answered. */
  private final class Abandon implements AsyncListener {
    @Override
    public void onError(AsyncEvent event) {
      if (answered.compareAndSet(false, true)) {
        async.complete();
      }
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      onError(event);
    }

    @Override
    public void onComplete(AsyncEvent event) {}

    @Override
    public void onStartAsync(AsyncEvent event) {}
  }
}
