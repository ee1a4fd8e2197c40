package dev.handshake.servlet.conformance;

import dev.handshake.conformance.ExtendConformance;
import dev.handshake.conformance.HppTarget;
import dev.handshake.servlet.TomcatTarget;

/** {@link ExtendConformance} against the servlet adapter in embedded Tomcat. */
class TomcatExtendConformanceTest extends ExtendConformance {
  @Override
  protected HppTarget target() {
    return new TomcatTarget();
  }
}
