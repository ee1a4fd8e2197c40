package dev.handshake.servlet.conformance;

import dev.handshake.conformance.ContextConformance;
import dev.handshake.conformance.HppTarget;
import dev.handshake.servlet.TomcatTarget;

/** {@link ContextConformance} against the servlet adapter in embedded Tomcat. */
class TomcatContextConformanceTest extends ContextConformance {
  @Override
  protected HppTarget target() {
    return new TomcatTarget();
  }
}
