package dev.handshake.servlet.conformance;

import dev.handshake.conformance.LimitsConformance;
import dev.handshake.conformance.HppTarget;
import dev.handshake.servlet.TomcatTarget;

/** {@link LimitsConformance} against the servlet adapter in embedded Tomcat. */
class TomcatLimitsConformanceTest extends LimitsConformance {
  @Override
  protected HppTarget target() {
    return new TomcatTarget();
  }
}
