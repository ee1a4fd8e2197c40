package dev.handshake.servlet;

import jakarta.servlet.ServletContainerInitializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.JsonErrorReportValve;
import org.apache.tomcat.websocket.server.WsSci;

/**
 * An embedded Tomcat 11 on {@code 127.0.0.1} and a random port, in a temporary base directory,
 * running one root web application set up by the given initializers (after Tomcat's WebSocket
 * initializer, unless {@code webSocketFirst} is false), with at most {@code maxThreads} request
 * threads.
 */
final class EmbeddedTomcat implements AutoCloseable {
  /** Held so the level sticks: Tomcat logs through java.util.logging, INFO is start-up chatter. */
  private static final Logger TOMCAT_LOG = Logger.getLogger("org.apache");

  static {
    TOMCAT_LOG.setLevel(Level.WARNING);
  }

  private final Tomcat tomcat;
  private final Path baseDir;
  private final URI baseUri;

  private EmbeddedTomcat(Tomcat tomcat, Path baseDir, URI baseUri) {
    this.tomcat = tomcat;
    this.baseDir = baseDir;
    this.baseUri = baseUri;
  }

  static EmbeddedTomcat start(
      List<ServletContainerInitializer> setup, boolean webSocketFirst, int maxThreads)
      throws IOException, LifecycleException {
    Path base = Files.createTempDirectory("hpp-tomcat");
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    Connector connector = new Connector("HTTP/1.1");
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    connector.setProperty("maxThreads", Integer.toString(maxThreads));
    connector.setProperty("minSpareThreads", Integer.toString(Math.min(maxThreads, 2)));
    tomcat.setConnector(connector);
    // the host application's choice: container-level errors (e.g. a malformed URI) as JSON
    StandardHost host = (StandardHost) tomcat.getHost();
    host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
    Path docBase = Files.createDirectories(base.resolve("root"));
    StandardContext ctx = (StandardContext) tomcat.addContext("", docBase.toString());
    // leak detection for redeployable web apps; meaningless with the test class path
    ctx.setClearReferencesRmiTargets(false);
    ctx.setClearReferencesThreadLocals(false);
    if (webSocketFirst) {
      ctx.addServletContainerInitializer(new WsSci(), null);
    }
    setup.forEach(sci -> ctx.addServletContainerInitializer(sci, null));
    if (!webSocketFirst) {
      ctx.addServletContainerInitializer(new WsSci(), null);
    }
    try {
      tomcat.start();
    } catch (LifecycleException | RuntimeException e) {
      stopQuietly(tomcat);
      throw e;
    }
    URI uri = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    return new EmbeddedTomcat(tomcat, base, uri);
  }

  URI baseUri() {
    return baseUri;
  }

  @Override
  public void close() {
    stopQuietly(tomcat);
    try (Stream<Path> files = Files.walk(baseDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void stopQuietly(Tomcat tomcat) {
    try {
      tomcat.stop();
      tomcat.destroy();
    } catch (LifecycleException e) {
      throw new IllegalStateException("Tomcat did not stop", e);
    }
  }
}
