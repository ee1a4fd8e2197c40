package dev.handshake.servlet.conformance;

import dev.handshake.conformance.HooksConformance;
import dev.handshake.conformance.HppTarget;
import dev.handshake.servlet.TomcatTarget;

/** {@link HooksConformance} against the servlet adapter in embedded Tomcat. */
class TomcatHooksConformanceTest extends HooksConformance {
  @Override
  protected HppTarget target() {
    return new TomcatTarget();
  }
}
