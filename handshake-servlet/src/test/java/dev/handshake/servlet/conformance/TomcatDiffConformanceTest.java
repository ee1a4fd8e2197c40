package dev.handshake.servlet.conformance;

import dev.handshake.conformance.DiffConformance;
import dev.handshake.conformance.HppTarget;
import dev.handshake.servlet.TomcatTarget;

/** {@link DiffConformance} against the servlet adapter in embedded Tomcat. */
class TomcatDiffConformanceTest extends DiffConformance {
  @Override
  protected HppTarget target() {
    return new TomcatTarget();
  }
}
