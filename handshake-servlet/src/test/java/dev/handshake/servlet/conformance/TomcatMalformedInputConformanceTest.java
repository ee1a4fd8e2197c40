package dev.handshake.servlet.conformance;

import dev.handshake.conformance.MalformedInputConformance;
import dev.handshake.conformance.HppTarget;
import dev.handshake.servlet.TomcatTarget;

/** {@link MalformedInputConformance} against the servlet adapter in embedded Tomcat. */
class TomcatMalformedInputConformanceTest extends MalformedInputConformance {
  @Override
  protected HppTarget target() {
    return new TomcatTarget();
  }
}
