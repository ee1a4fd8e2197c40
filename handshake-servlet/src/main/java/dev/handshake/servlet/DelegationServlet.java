package dev.handshake.servlet;

import dev.handshake.delegation.http.DelegationHttpApi;
import dev.handshake.session.HppResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the delegation endpoints ({@code POST /delegation/verify}, {@code POST
 * /delegation/decisions}) by handing each request to {@link DelegationHttpApi}. Map it to {@code
 * /delegation/*}, or let {@link HandshakeServletInstaller#installDelegation} do it.
 *
 * <p>Requests run on the container thread: a body is at most {@link
 * DelegationHttpApi#MAX_BODY_BYTES} (a larger declared length is answered 413 before any byte is
 * read, and at most one byte more is ever read), and a decision is a signature check plus one
 * replay-store write, with one audit receipt when the host records them.
 */
public final class DelegationServlet extends HttpServlet {
  private static final Logger LOG = LoggerFactory.getLogger(DelegationServlet.class);

  private final DelegationHttpApi api;

  public DelegationServlet(DelegationHttpApi api) {
    this.api = api;
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    HppResponse r;
    try {
      if (req.getContentLengthLong() > DelegationHttpApi.MAX_BODY_BYTES) {
        r =
            HppResponse.error(413, "request body too large")
                .withHeader("Cache-Control", "no-store")
                .withHeader("Connection", "close");
      } else {
        byte[] body =
            req.getMethod().equals("POST")
                ? BodyReader.readBlocking(
                    req.getInputStream(), DelegationHttpApi.MAX_BODY_BYTES + 1)
                : new byte[0];
        r = api.handle(req.getMethod(), HandshakeServlet.pathOf(req), req.getQueryString(), body);
      }
    } catch (RuntimeException e) {
      LOG.error("delegation request failed", e);
      r = HandshakeServlet.internalError();
    }
    HandshakeServlet.writeBlocking(resp, r, false);
  }
}
