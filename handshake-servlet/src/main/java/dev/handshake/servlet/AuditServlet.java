package dev.handshake.servlet;

import dev.handshake.audit.AuditLedger;
import dev.handshake.audit.http.AuditHttpApi;
import dev.handshake.session.HppResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the read-only audit endpoints ({@code GET /v1/audit/...}: checkpoints, the log key,
 * inclusion and consistency proofs, entries) by handing each request to {@link AuditHttpApi}.
 * Map it to {@code /v1/audit/*}, or let {@link HandshakeServletInstaller#installAudit} do it.
 *
 * <p>Every answer is computed from memory and small reads (proofs are O(log n)), so requests run
 * on the container thread; no request body is ever read.
 */
public final class AuditServlet extends HttpServlet {
  private static final Logger LOG = LoggerFactory.getLogger(AuditServlet.class);

  private final AuditHttpApi api;

  public AuditServlet(AuditLedger ledger) {
    this.api = new AuditHttpApi(ledger);
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    HppResponse r;
    try {
      r = api.handle(req.getMethod(), HandshakeServlet.pathOf(req), req.getQueryString());
    } catch (RuntimeException e) {
      LOG.error("audit request failed", e);
      r = HandshakeServlet.internalError();
    }
    HandshakeServlet.writeBlocking(resp, r, false);
  }
}
