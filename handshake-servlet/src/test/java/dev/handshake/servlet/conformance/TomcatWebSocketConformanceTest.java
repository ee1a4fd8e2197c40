package dev.handshake.servlet.conformance;

import dev.handshake.conformance.WebSocketConformance;
import dev.handshake.conformance.HppTarget;
import dev.handshake.servlet.TomcatTarget;

/** {@link WebSocketConformance} against the servlet adapter in embedded Tomcat. */
class TomcatWebSocketConformanceTest extends WebSocketConformance {
  @Override
  protected HppTarget target() {
    return new TomcatTarget();
  }
}
