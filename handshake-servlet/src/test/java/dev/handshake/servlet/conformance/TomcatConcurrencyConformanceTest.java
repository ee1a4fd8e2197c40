package dev.handshake.servlet.conformance;

import dev.handshake.conformance.ConcurrencyConformance;
import dev.handshake.conformance.HppTarget;
import dev.handshake.servlet.TomcatTarget;

/** {@link ConcurrencyConformance} against the servlet adapter in embedded Tomcat. */
class TomcatConcurrencyConformanceTest extends ConcurrencyConformance {
  @Override
  protected HppTarget target() {
    return new TomcatTarget();
  }
}
