package dev.handshake.servlet.conformance;

import dev.handshake.conformance.CreateConformance;
import dev.handshake.conformance.HppTarget;
import dev.handshake.servlet.TomcatTarget;

/** {@link CreateConformance} against the servlet adapter in embedded Tomcat. */
class TomcatCreateConformanceTest extends CreateConformance {
  @Override
  protected HppTarget target() {
    return new TomcatTarget();
  }
}
