package dev.handshake.servlet.conformance;

import dev.handshake.conformance.ExpiryConformance;
import dev.handshake.conformance.HppTarget;
import dev.handshake.servlet.TomcatTarget;

/** {@link ExpiryConformance} against the servlet adapter in embedded Tomcat. */
class TomcatExpiryConformanceTest extends ExpiryConformance {
  @Override
  protected HppTarget target() {
    return new TomcatTarget();
  }
}
