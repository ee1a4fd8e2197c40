package dev.handshake.servlet.conformance;

import dev.handshake.conformance.WebSocketLifecycleConformance;
import dev.handshake.conformance.HppTarget;
import dev.handshake.servlet.TomcatTarget;

/** {@link WebSocketLifecycleConformance} against the servlet adapter in embedded Tomcat. */
class TomcatWebSocketLifecycleConformanceTest extends WebSocketLifecycleConformance {
  @Override
  protected HppTarget target() {
    return new TomcatTarget();
  }
}
