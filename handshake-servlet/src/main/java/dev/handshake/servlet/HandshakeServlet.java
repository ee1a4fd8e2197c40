package dev.handshake.servlet;

import dev.handshake.session.HppResponse;
import dev.handshake.session.SessionEngine;
import dev.handshake.session.http.HppHttpApi;
import dev.handshake.session.http.HttpApiRequest;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the HTTP endpoints of the Handshake Prompt Protocol (hpp.md §2.3) by handing each request
 * to {@link HppHttpApi}. Map it to {@code config.prefix() + "/*"} with async support on, or let
 * {@link HandshakeServletInstaller} do it.
 *
 * <p>Requests run asynchronously: the body is read with a non-blocking listener and never beyond
 * {@code maxBodyBytes + 1} bytes, the engine's future completes the request, and form-fill pacing
 * therefore never holds a container thread. Every answer is JSON, including the last-resort 500
 * (hpp.md §3 item 8); a declared {@code Content-Length} above the limit is answered 413 before
 * any byte is read.
 */
public final class HandshakeServlet extends HttpServlet {
  private static final Logger LOG = LoggerFactory.getLogger(HandshakeServlet.class);

  private final HppHttpApi api;
  private final int maxBodyBytes;

  public HandshakeServlet(HppHttpApi api) {
    this.api = api;
    this.maxBodyBytes = api.engine().config().maxBodyBytes();
  }

  /**
   * @param publicBaseUrl the base URL printed in prompts; when empty, {@code http://<Host>}
   */
  public HandshakeServlet(SessionEngine engine, Optional<String> publicBaseUrl) {
    this(new HppHttpApi(engine, publicBaseUrl));
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    HttpExchange exchange = null;
    try {
      if (!req.isAsyncSupported()) {
        serveBlocking(req, resp);
        return;
      }
      RequestSnapshot info = RequestSnapshot.of(req);
      String method = req.getMethod();
      String path = pathOf(req);
      long declared = req.getContentLengthLong();
      AsyncContext async = req.startAsync();
      HttpExchange ex = new HttpExchange(async, resp);
      exchange = ex;
      ServletInputStream in = req.getInputStream();
      if (declared > maxBodyBytes) {
        if (declared <= drainLimit()) {
          // Read and drop a body of a modest size before answering: a client still sending when
          // an early 413 and the close arrive often never sees the answer (the connection reset
          // wins), so it would report a network error instead of "request body too large".
          in.setReadListener(new BodyReader(in, (int) declared, declared,
              dropped -> ex.answer(tooLarge()),
              failure -> ex.answer(tooLarge())));
        } else {
          ex.answer(tooLarge());
        }
        return;
      }
      in.setReadListener(
          new BodyReader(
              in,
              maxBodyBytes + 1,
              declared,
              body -> dispatch(request(method, path, info, body), ex),
              failure -> {
                LOG.debug("request body could not be read", failure);
                ex.answer(HppResponse.error(400, "request body could not be read"));
              }));
    } catch (IOException | RuntimeException e) {
      LOG.error("request failed", e);
      if (exchange != null) {
        exchange.answer(internalError());
      } else {
        writeBlocking(resp, internalError(), true);
      }
    }
  }

  private void dispatch(HttpApiRequest request, HttpExchange exchange) {
    CompletableFuture<HppResponse> future;
    try {
      future = api.handle(request);
    } catch (RuntimeException e) {
      LOG.error("request failed", e);
      exchange.answer(internalError());
      return;
    }
    future.whenComplete(
        (r, failure) -> {
          if (failure != null) {
            LOG.error("request failed", failure);
          }
          exchange.answer(r != null ? r : internalError());
        });
  }

  /**
   * For a request some filter in front of us did not mark async-capable: the same semantics, at
   * the price of a container thread for the whole call.
   */
  private void serveBlocking(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    HppResponse r;
    if (req.getContentLengthLong() > maxBodyBytes) {
      r = tooLarge();
    } else {
      byte[] body = BodyReader.readBlocking(req.getInputStream(), maxBodyBytes + 1);
      r = api.handle(request(req.getMethod(), pathOf(req), RequestSnapshot.of(req), body)).join();
    }
    writeBlocking(resp, r, false);
  }

  private static HttpApiRequest request(
      String method, String path, RequestSnapshot info, byte[] body) {
    return new HttpApiRequest(
        method, path, info.rawQuery().orElse(null), info::headerOrNull, body, info.clientAddress());
  }

  /** The decoded path inside the web application, e.g. {@code /handshake/context/<sid>}. */
  static String pathOf(HttpServletRequest req) {
    @Nullable String info = req.getPathInfo();
    return req.getServletPath() + (info == null ? "" : info);
  }

  /** Bodies up to twice the limit (at most 8 MiB) are read and dropped before a 413. */
  private long drainLimit() {
    return Math.min(2L * maxBodyBytes + 1, 8L << 20);
  }

  /** 413 without reading the body; the connection closes so the rest is never read either. */
  private static HppResponse tooLarge() {
    return HppResponse.error(413, "request body too large")
        .withHeader("Cache-Control", "no-store")
        .withHeader("Connection", "close");
  }

  static HppResponse internalError() {
    return HppResponse.error(500, "internal error").withHeader("Cache-Control", "no-store");
  }

  static void writeBlocking(HttpServletResponse resp, HppResponse r, boolean replace)
      throws IOException {
    if (resp.isCommitted()) {
      return;
    }
    if (replace) {
      resp.reset();
    }
    ServletOutputStream out = HttpExchange.prepare(resp, r);
    out.write(r.body());
    out.flush();
  }
}
