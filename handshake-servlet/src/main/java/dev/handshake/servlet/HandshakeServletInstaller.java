package dev.handshake.servlet;

import dev.handshake.audit.AuditLedger;
import dev.handshake.audit.http.AuditHttpApi;
import dev.handshake.delegation.http.DelegationHttpApi;
import dev.handshake.session.SessionConfig;
import dev.handshake.session.SessionEngine;
import dev.handshake.session.http.HppHttpApi;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.util.Optional;
import java.util.Set;

/**
 * Installs the Handshake Prompt Protocol into a Jakarta Servlet 6 web application with one call:
 * the HTTP API at {@code config.prefix()/*} and the WebSocket at {@code config.wsPrefix()/<sid>}
 * (hpp.md §2.3, §2.5), both served by the given {@link SessionEngine}.
 *
 * <p>Call it while the application starts: from a {@code ServletContainerInitializer}, a {@code
 * ServletContextListener} or, in Spring Boot, a {@code ServletContextInitializer}. The container's
 * WebSocket support (the {@code jakarta.websocket.server.ServerContainer} context attribute,
 * WebSocket 2.1 or later) is looked up when the servlets start, after every initializer has run,
 * so the order of initializers does not matter. The engine stays the caller's: start it (its
 * expiry sweeper) and close it when the application stops.
 *
 * <pre>{@code
 * // Spring Boot (embedded Tomcat 10.1+ or Jetty 12)
 * @Bean
 * SessionEngine handshakeEngine() {
 *   return SessionEngine.builder().config(SessionConfig.defaults()).build().start();
 * }
 *
 * @Bean
 * ServletContextInitializer handshake(SessionEngine engine) {
 *   return ctx ->
 *       HandshakeServletInstaller.install(ctx, engine, Optional.of("https://app.example.com"));
 * }
 *
 * // any servlet container
 * public final class HandshakeSetup implements ServletContextListener {
 *   private final SessionEngine engine = SessionEngine.builder().build();
 *
 *   public void contextInitialized(ServletContextEvent e) {
 *     HandshakeServletInstaller.install(e.getServletContext(), engine.start(), Optional.empty());
 *   }
 *
 *   public void contextDestroyed(ServletContextEvent e) {
 *     engine.close();
 *   }
 * }
 * }</pre>
 *
 * <p>Deployment notes:
 *
 * <ul>
 *   <li>Filters in front of the prefix should support async processing; if one does not, requests
 *       still work but hold a container thread for the whole call, including form-fill pacing.
 *   <li>Per-address limits use {@code getRemoteAddr()}. Behind a reverse proxy, let the container
 *       resolve the client (Tomcat's {@code RemoteIpValve}, Spring Boot's {@code
 *       server.forward-headers-strategy}), or every client shares the proxy's budget.
 *   <li>Everything under the two prefixes answers JSON. Requests the container refuses before any
 *       servlet runs (a malformed URI, an encoded slash) get its error page; on Tomcat, {@code
 *       JsonErrorReportValve} makes those JSON too.
 * </ul>
 */
public final class HandshakeServletInstaller {
  /** Name of the HTTP API servlet. */
  public static final String HTTP_SERVLET = "handshake-http";
  /** Name of the WebSocket upgrade servlet. */
  public static final String WEBSOCKET_SERVLET = "handshake-websocket";
  /** Name of the audit endpoints' servlet. */
  public static final String AUDIT_SERVLET = "handshake-audit";
  /** Name of the delegation endpoints' servlet. */
  public static final String DELEGATION_SERVLET = "handshake-delegation";

  private HandshakeServletInstaller() {}

  /**
   * Registers both servlets in {@code context}.
   *
   * @param publicBaseUrl the base URL printed in prompts (e.g. behind a reverse proxy); when
   *     empty, {@code http://<Host header>}
   * @throws IllegalStateException if the context has already started, a servlet of the same name
   *     exists, or another servlet owns one of the mappings
   */
  public static void install(
      ServletContext context, SessionEngine engine, Optional<String> publicBaseUrl) {
    SessionConfig config = engine.config();
    HppHttpApi api = new HppHttpApi(engine, publicBaseUrl);
    ServletRegistration.Dynamic http =
        register(context, HTTP_SERVLET, new HandshakeServlet(api), config.prefix() + "/*");
    http.setAsyncSupported(true);
    ServletRegistration.Dynamic ws =
        register(
            context,
            WEBSOCKET_SERVLET,
            new HandshakeSocketServlet(engine, api),
            config.wsPrefix() + "/*");
    ws.setAsyncSupported(true);
    ws.setLoadOnStartup(1); // a missing WebSocket container fails at startup, not on first use
  }

  /**
   * Registers {@link AuditServlet} at {@code /v1/audit/*}: the same read-only checkpoint and proof
   * endpoints the standalone server has, over the host's ledger.
   *
   * @throws IllegalStateException if the context has already started or the mapping is taken
   */
  public static void installAudit(ServletContext context, AuditLedger ledger) {
    register(context, AUDIT_SERVLET, new AuditServlet(ledger), AuditHttpApi.ROOT + "/*");
  }

  /**
   * Registers {@link DelegationServlet} at {@code /delegation/*}: {@code POST /delegation/verify}
   * and {@code POST /delegation/decisions}, as on the standalone server. Build {@code api} once per
   * application with {@link DelegationHttpApi#create}: its replay store is what makes a second
   * submission of a packet a replay, so every request must share it (and the host closes it).
   *
   * <pre>{@code
   * DelegationHttpApi api = DelegationHttpApi.create(HandoffConfig.defaults(),
   *     DelegationTrust.read(Optional.of(registryFile), anchors), replayStore,
   *     Optional.of(auditRecorder), Clock.systemUTC());
   * HandshakeServletInstaller.installDelegation(servletContext, api);
   * }</pre>
   *
   * @throws IllegalStateException if the context has already started or the mapping is taken
   */
  public static void installDelegation(ServletContext context, DelegationHttpApi api) {
    register(context, DELEGATION_SERVLET, new DelegationServlet(api), DelegationHttpApi.ROOT + "/*");
  }

  /** {@link #install(ServletContext, SessionEngine, Optional)} with prompts naming the Host. */
  public static void install(ServletContext context, SessionEngine engine) {
    install(context, engine, Optional.empty());
  }

  private static ServletRegistration.Dynamic register(
      ServletContext context, String name, Servlet servlet, String mapping) {
    ServletRegistration.Dynamic r = context.addServlet(name, servlet);
    if (r == null) {
      throw new IllegalStateException("a servlet named " + name + " is already registered");
    }
    Set<String> taken = r.addMapping(mapping);
    if (!taken.isEmpty()) {
      throw new IllegalStateException(mapping + " is already mapped to another servlet");
    }
    return r;
  }
}
