package dev.handshake.servlet.conformance;

import dev.handshake.conformance.AuthConformance;
import dev.handshake.conformance.HppTarget;
import dev.handshake.servlet.TomcatTarget;

/** {@link AuthConformance} against the servlet adapter in embedded Tomcat. */
class TomcatAuthConformanceTest extends AuthConformance {
  @Override
  protected HppTarget target() {
    return new TomcatTarget();
  }
}
