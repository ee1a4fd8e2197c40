package dev.handshake.servlet.conformance;

import dev.handshake.conformance.ActionConformance;
import dev.handshake.conformance.HppTarget;
import dev.handshake.servlet.TomcatTarget;

/** {@link ActionConformance} against the servlet adapter in embedded Tomcat. */
class TomcatActionConformanceTest extends ActionConformance {
  @Override
  protected HppTarget target() {
    return new TomcatTarget();
  }
}
